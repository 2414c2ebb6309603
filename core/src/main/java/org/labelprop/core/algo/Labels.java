package org.labelprop.core.algo;

import java.util.Arrays;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.Label;

/**
 * The known labels of a dataset: one entry per row, {@link Label#UNLABELED} (-1) for unlabeled. Labels may
 * be any non-negative integers with gaps; they map to dense class columns 0..C-1 in ascending label order,
 * as scikit-learn's {@code classes_} does. What the labels are called ({@link ClassNames}: numbers unless
 * {@link #withNames} says otherwise) is carried along for messages and outputs.
 */
public final class Labels {
    private final int[] raw;
    private final int[] classes;
    private final int[] column;
    private final int labeledCount;
    /** Per row the confidence of its label, in (0, 1]; null when every label counts fully. */
    private final float[] weight;
    private final ClassNames names;

    private Labels(int[] raw, int[] classes, int[] column, int labeledCount, float[] weight, ClassNames names) {
        this.raw = raw;
        this.classes = classes;
        this.column = column;
        this.labeledCount = labeledCount;
        this.weight = weight;
        this.names = names;
    }

    /**
     * @param source named in errors (a file name, or "labels")
     * @throws DataException when no row is labeled or a label is negative other than -1
     */
    public static Labels of(int[] raw, String source) {
        int labeled = 0;
        for (int i = 0; i < raw.length; i++) {
            int l = raw[i];
            if (l < Label.UNLABELED) {
                throw DataException.atRow(source, i + 1, "label " + l + " is negative; use -1 for unlabeled rows");
            }
            if (l != Label.UNLABELED) {
                labeled++;
            }
        }
        if (labeled == 0) {
            throw new DataException(source + ": no labeled row among " + raw.length
                    + " rows; at least one row needs a label (unlabeled rows are -1 or empty)");
        }
        // Distinct labels by sorting, not a table indexed by label: labels may be as large as 2^31 - 1.
        int[] classes = java.util.Arrays.stream(raw).filter(l -> l != Label.UNLABELED).sorted().distinct().toArray();
        int[] column = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            column[i] = raw[i] == Label.UNLABELED ? -1 : java.util.Arrays.binarySearch(classes, raw[i]);
        }
        return new Labels(raw.clone(), classes, column, labeled, null, ClassNames.NUMBERS);
    }

    /**
     * The same labels, called by {@code names} (as {@link org.labelprop.core.io.LabelReader#readNamed} read
     * them): errors and outputs name a class by it.
     *
     * @throws IllegalArgumentException when a label has no name
     */
    public Labels withNames(ClassNames names) {
        if (names.named() && classes[classes.length - 1] >= names.size()) {
            throw new IllegalArgumentException("Labels: label " + classes[classes.length - 1] + " has no name among "
                    + names.size());
        }
        return new Labels(raw, classes, column, labeledCount, weight, names);
    }

    /** What the labels are called; {@link ClassNames#NUMBERS} unless {@link #withNames} said otherwise. */
    public ClassNames names() {
        return names;
    }

    /** The name of class column c, as outputs and messages write it ("3", or "cat"). */
    public String className(int c) {
        return names.name(classes[c]);
    }

    /**
     * The same labels, each labeled row counting with a confidence in (0, 1] (soft labels): its one-hot row
     * is scaled by it in every algorithm's prior (spreading's and propagation's Y0, Poisson learning's source,
     * the labeled class proportions, Correct and Smooth) and it weighs as much in model fits. Unlabeled rows'
     * entries are ignored.
     *
     * @param source named in errors (a file name)
     * @throws DataException when the lengths differ or a labeled row's confidence is outside (0, 1]
     */
    public Labels withConfidence(float[] confidence, String source) {
        if (confidence.length != raw.length) {
            throw new DataException(source + " has " + confidence.length + " rows but the labels " + raw.length
                    + "; give one confidence per row");
        }
        float[] w = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            if (column[i] >= 0) {
                if (!(confidence[i] > 0f && confidence[i] <= 1f)) {
                    throw DataException.atRow(source, i + 1, "confidence " + confidence[i] + " of a labeled row "
                            + "is outside (0, 1]; leave the row unlabeled instead of giving it 0");
                }
                w[i] = confidence[i];
            }
        }
        return new Labels(raw, classes, column, labeledCount, w, names);
    }

    /** The confidence of row i's label: 1 unless given, 0 for unlabeled rows. */
    public float confidence(int i) {
        return column[i] < 0 ? 0f : weight == null ? 1f : weight[i];
    }

    public int rows() {
        return raw.length;
    }

    /** Number of distinct labels C. */
    public int classCount() {
        return classes.length;
    }

    /** The original label of each class column, ascending. */
    public int[] classes() {
        return classes.clone();
    }

    /** The original label of class column c. */
    public int classLabel(int c) {
        return classes[c];
    }

    /** Class column of row i, or -1 when unlabeled. */
    public int column(int i) {
        return column[i];
    }

    public boolean isLabeled(int i) {
        return column[i] >= 0;
    }

    public int labeledCount() {
        return labeledCount;
    }

    public boolean[] labeledMask() {
        boolean[] m = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) {
            m[i] = column[i] >= 0;
        }
        return m;
    }

    /**
     * Share of each class column among the labeled rows, each counting with its confidence: the prior that
     * class mass normalization targets.
     */
    public double[] classPriors() {
        double[] q = new double[classes.length];
        double total = 0;
        for (int i = 0; i < raw.length; i++) {
            if (column[i] >= 0) {
                q[column[i]] += confidence(i);
                total += confidence(i);
            }
        }
        for (int c = 0; c < q.length; c++) {
            q[c] /= total;
        }
        return q;
    }

    /** Row-major n x C: each labeled row's confidence (1 unless given) at its class, 0 elsewhere. */
    public float[] oneHot() {
        float[] y = new float[org.labelprop.core.FloatMatrix.checkSize(raw.length, classes.length, "label matrix")];
        for (int i = 0; i < raw.length; i++) {
            if (column[i] >= 0) {
                y[i * classes.length + column[i]] = confidence(i);
            }
        }
        return y;
    }

    @Override
    public String toString() {
        return "Labels[" + raw.length + " rows, " + labeledCount + " labeled, classes " + Arrays.toString(classes) + "]";
    }
}
