package org.labelprop.core.io;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.labelprop.core.DataException;
import org.labelprop.core.Label;

/**
 * Reads one class label per data point, {@value Label#UNLABELED} marking a point whose label is unknown, from
 * text (one value per line, optional header; {@code -1}, an empty line or NaN is unlabeled; integral floats
 * such as {@code 3.0} are accepted), .npy (integer or float dtype, NaN unlabeled) or a 1-D IDX file.
 */
public final class LabelReader {
    private LabelReader() {
    }

    public static int[] read(Path file) throws IOException {
        Values v = readValues(file);
        int[] labels = new int[v.values().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = toLabel(file.toString(), v.firstLine() + i, v.values()[i]);
        }
        return labels;
    }

    /**
     * Real-valued targets of a regression, from the same formats: NaN where unknown (an empty line, NaN, or
     * -1 is not special here).
     */
    public static float[] readTargets(Path file) throws IOException {
        double[] v = readValues(file).values();
        float[] t = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            t[i] = (float) v[i];
        }
        return t;
    }

    /** One value per row, NaN for an empty field; the first row is line (or element) {@code firstLine}. */
    private record Values(double[] values, int firstLine) {
    }

    private static Values readValues(Path file) throws IOException {
        return FileInput.naming(file, () -> switch (FileFormat.of(file)) {
            case TEXT -> readText(file);
            case NPY -> readArray(file.toString(), NpyFile.open(file));
            case IDX -> readArray(file.toString(), IdxFile.open(file));
        });
    }

    private static Values readText(Path file) throws IOException {
        try (DelimitedText text = DelimitedText.open(file, true)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected one label per line");
            }
            if (text.isHeader() && !text.next()) {
                throw new DataException(file + ": only a header line, no labels");
            }
            int firstLine = (int) text.lineNumber();
            DoubleArrayList labels = new DoubleArrayList();
            do {
                if (text.fieldCount() != 1) {
                    throw DataException.atRow(text.file(), text.lineNumber(), text.fieldCount()
                            + " columns; expected one label per row");
                }
                labels.add(text.isEmpty(0) ? Double.NaN : text.doubleAt(0));
            } while (text.next());
            labels.trim();
            return new Values(labels.elements(), firstLine);
        }
    }

    private static Values readArray(String file, NumericArray opened) throws IOException {
        try (NumericArray array = opened) {
            if (array.cols() != 1) {
                throw new DataException(file + ": shape " + Arrays.toString(array.shape())
                        + "; expected one label per row (a 1-D or n x 1 array)");
            }
            double[] labels = new double[array.rows()];
            array.read((first, values, count) -> {
                for (int i = 0; i < count; i++) {
                    labels[(int) first + i] = values[i];
                }
            });
            return new Values(labels, 1);
        }
    }

    /**
     * A value read from a label file as a label: NaN or -1 unlabeled, else a non-negative integer (integral
     * floats accepted); anything else is one error naming the file and row. Shared with the Spark reader.
     */
    public static int toLabel(String file, long row, double value) {
        if (Double.isNaN(value) || value == Label.UNLABELED) {
            return Label.UNLABELED;
        }
        if (value < 0 || value > Integer.MAX_VALUE || value != Math.rint(value)) {
            throw DataException.atRow(file, row, "label " + value + " is neither a non-negative integer nor -1 "
                    + "(unlabeled); real-valued targets are a regression task");
        }
        return (int) value;
    }
}
