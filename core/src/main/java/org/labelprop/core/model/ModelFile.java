package org.labelprop.core.model;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import org.labelprop.core.io.AtomicOutput;
import org.labelprop.core.io.FileInput;

/**
 * Saves and loads fitted models, so {@code labelprop predict} can classify new rows later. The format, all
 * big-endian (Java's DataOutput):
 * <pre>
 *   8 bytes  magic "LPMODEL" followed by a zero byte
 *   int32    format version: 1, or 2 when the labels are class names
 *   int32    kind: 1 logistic regression, 2 k nearest neighbours, 3 inductive (a saved propagation)
 *   int32    classes C
 *   int32    features d
 *   int32 x C         the original label of each class column, ascending
 *   version 2 only: int32 N names, then per name int32 byte count and its UTF-8 bytes, in label order (name k
 *             is label k; see {@link ClassNames})
 *   logistic: int32 iterations, int32 converged (0/1), float64 x (C d) coefficients (row c = class c),
 *             float64 x C intercepts
 *   knn:      int32 k, int32 metric (0 euclidean, 1 cosine), int32 vote (0 uniform, 1 distance), int32 rows n,
 *             float32 x (n d) training rows, int32 x n class columns, float32 x n row weights
 *   inductive: int32 k, int32 metric, int32 weighting (0 binary, 1 gaussian, 2 self-tuning), float32 sigma,
 *             int32 rows n, float32 x (n d) training rows, float32 x (n C) their predicted distributions
 *   int64    CRC32 of every byte before it
 * </pre>
 * Another magic, another version, an unknown kind, a size that disagrees with the header or a wrong checksum
 * is refused with a one-line message saying which. Propagation is saved as an {@link InductiveModel}; spreading
 * (the classifier) as its model for new rows
 * ({@link Fit#modelForNewRows}, fitted by the caller); a user's own model type cannot be saved here.
 */
public final class ModelFile {
    static final byte[] MAGIC = {'L', 'P', 'M', 'O', 'D', 'E', 'L', 0};
    static final int VERSION = 1;
    /** The version of files whose labels are class names. */
    static final int NAMED_VERSION = 2;
    /** The longest class name a model file holds, in UTF-8 bytes. */
    private static final int MAX_NAME_BYTES = 1 << 16;
    private static final int LOGISTIC = 1;
    private static final int KNN = 2;
    private static final int INDUCTIVE = 3;
    private static final int HEADER = MAGIC.length + 4 * 4;

    private ModelFile() {
    }

    /** A model with what its class labels are called. */
    public record Saved(Model model, ClassNames names) {
    }

    public static void write(Path file, Model model) throws IOException {
        write(file, model, ClassNames.NUMBERS);
    }

    /** Writes the model with its class names, so {@code labelprop predict} writes names back. */
    public static void write(Path file, Model model, ClassNames names) throws IOException {
        AtomicOutput.write(file, stream -> write(stream, model, names));
    }

    /** Writes the model to the stream, for a caller that writes it with other outputs in an OutputSet. */
    public static void write(OutputStream stream, Model model) throws IOException {
        write(stream, model, ClassNames.NUMBERS);
    }

    /**
     * Writes the model and what its labels are called to the stream: format version 1 (what every earlier
     * labelprop reads) for {@link ClassNames#NUMBERS}, 2 with the names.
     */
    public static void write(OutputStream stream, Model model, ClassNames names) throws IOException {
        if (!(model instanceof LogisticModel) && !(model instanceof KnnModel) && !(model instanceof InductiveModel)) {
            throw new DataException("a model of type " + model.getClass().getSimpleName() + " cannot be saved; "
                    + "only logistic, knn and inductive models (and spreading's model for new rows) can");
        }
        CheckedOutputStream checked = new CheckedOutputStream(stream, new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        int[] classes = model.classes();
        if (names.named() && classes[classes.length - 1] >= names.size()) {
            throw new IllegalArgumentException("ModelFile: class label " + classes[classes.length - 1]
                    + " has no name among " + names.size());
        }
        out.writeInt(names.named() ? NAMED_VERSION : VERSION);
        out.writeInt(model instanceof LogisticModel ? LOGISTIC : model instanceof KnnModel ? KNN : INDUCTIVE);
        out.writeInt(classes.length);
        out.writeInt(model.features());
        for (int c : classes) {
            out.writeInt(c);
        }
        if (names.named()) {
            out.writeInt(names.size());
            for (String name : names.names()) {
                byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
        if (model instanceof LogisticModel) {
            LogisticModel lr = (LogisticModel) model;
            out.writeInt(lr.iterations());
            out.writeInt(lr.converged() ? 1 : 0);
            for (double v : lr.coefficients()) {
                out.writeDouble(v);
            }
            for (double v : lr.intercepts()) {
                out.writeDouble(v);
            }
        } else if (model instanceof InductiveModel) {
            InductiveModel inductive = (InductiveModel) model;
            KnnGraph.Options options = inductive.options();
            out.writeInt(options.k());
            out.writeInt(options.metric().ordinal());
            out.writeInt(options.weighting().ordinal());
            out.writeFloat(options.sigma());
            out.writeInt(inductive.train().rows());
            for (float v : inductive.train().data()) {
                out.writeFloat(v);
            }
            for (float v : inductive.known().distribution()) {
                out.writeFloat(v);
            }
        } else {
            KnnModel knn = (KnnModel) model;
            out.writeInt(knn.options().k());
            out.writeInt(knn.options().metric().ordinal());
            out.writeInt(knn.options().vote().ordinal());
            out.writeInt(knn.train().rows());
            for (float v : knn.train().data()) {
                out.writeFloat(v);
            }
            for (int v : knn.target()) {
                out.writeInt(v);
            }
            for (float v : knn.weight()) {
                out.writeFloat(v);
            }
        }
        out.flush();
        new DataOutputStream(stream).writeLong(checked.getChecksum().getValue());
    }

    /** The model alone; {@link #readNamed} also gives what its labels are called. */
    public static Model read(Path file) throws IOException {
        return readNamed(file).model();
    }

    /** The model and its class names ({@link ClassNames#NUMBERS} in a version 1 file). */
    public static Saved readNamed(Path file) throws IOException {
        try (FileChannel channel = FileInput.openPlain(file);
             InputStream raw = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)) {
            long size = channel.size();
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataException(file + ": not a labelprop model file (no LPMODEL header)");
            }
            int version = in.readInt();
            if (version != VERSION && version != NAMED_VERSION) {
                throw new DataException(file + ": model file format version " + version + "; this labelprop reads "
                        + "versions " + VERSION + " and " + NAMED_VERSION);
            }
            int kind = in.readInt();
            int c = in.readInt();
            int d = in.readInt();
            if (c < 1 || d < 1 || c > (1 << 20)) {
                throw new DataException(file + ": header says " + c + " classes and " + d + " features; corrupt");
            }
            if (kind < LOGISTIC || kind > INDUCTIVE) {
                throw new DataException(file + ": unknown model kind " + kind + "; this labelprop reads logistic (1), "
                        + "knn (2) and inductive (3)");
            }
            int[] classes = readClasses(file, in, c);
            ClassNames names = version == NAMED_VERSION ? readNames(file, in, classes) : ClassNames.NUMBERS;
            long fixed = HEADER + 4L * c + namesSize(names) + 8;
            Model model;
            if (kind == LOGISTIC) {
                expectSize(file, size, fixed + 8 + 8L * c * d + 8L * c);
                int iterations = in.readInt();
                boolean converged = in.readInt() == 1;
                double[] coef = new double[FloatMatrix.checkSize(c, d, "coefficients")];
                for (int i = 0; i < coef.length; i++) {
                    coef[i] = in.readDouble();
                }
                double[] intercept = new double[c];
                for (int i = 0; i < c; i++) {
                    intercept[i] = in.readDouble();
                }
                requireFinite(file, "coefficient", coef);
                requireFinite(file, "intercept", intercept);
                model = new LogisticModel(classes, d, coef, intercept, iterations, converged);
            } else if (kind == KNN) {
                if (size < fixed + 16) {
                    throw truncated(file);
                }
                int k = in.readInt();
                int metric = in.readInt();
                int vote = in.readInt();
                int n = in.readInt();
                if (k < 1 || metric < 0 || metric >= Metric.values().length || vote < 0
                        || vote >= KnnClassifier.Vote.values().length || n < 1) {
                    throw new DataException(file + ": invalid kNN settings (k " + k + ", metric " + metric + ", vote "
                            + vote + ", rows " + n + "); corrupt");
                }
                expectSize(file, size, fixed + 16 + 4L * n * d + 8L * n);
                float[] x = readTrainingRows(file, in, n, d);
                int[] target = readInts(in, n);
                float[] weight = new float[n];
                for (int i = 0; i < n; i++) {
                    weight[i] = in.readFloat();
                }
                for (int i = 0; i < n; i++) {
                    if (!(weight[i] >= 0) || weight[i] == Float.POSITIVE_INFINITY) {
                        throw new DataException(file + ": row weight " + weight[i] + " is not a finite non-negative "
                                + "number; corrupt");
                    }
                }
                for (int t : target) {
                    if (t < 0 || t >= c) {
                        throw new DataException(file + ": class column " + t + " outside 0.." + (c - 1) + "; corrupt");
                    }
                }
                model = new KnnModel(classes, new FloatMatrix(n, d, x), target, weight, new KnnClassifier.Options(k,
                        Metric.values()[metric], KnnClassifier.Vote.values()[vote]));
            } else {
                if (size < fixed + 20) {
                    throw truncated(file);
                }
                int k = in.readInt();
                int metric = in.readInt();
                int weighting = in.readInt();
                float sigma = in.readFloat();
                int n = in.readInt();
                if (k < 1 || metric < 0 || metric >= Metric.values().length || weighting < 0
                        || weighting >= Weighting.values().length || !(sigma > 0f && Float.isFinite(sigma)) || n < 1) {
                    throw new DataException(file + ": invalid inductive settings (k " + k + ", metric " + metric
                            + ", weighting " + weighting + ", sigma " + sigma + ", rows " + n + "); corrupt");
                }
                expectSize(file, size, fixed + 20 + 4L * n * d + 4L * n * c);
                float[] x = readTrainingRows(file, in, n, d);
                float[] distribution = new float[FloatMatrix.checkSize(n, c, "distributions")];
                for (int i = 0; i < distribution.length; i++) {
                    distribution[i] = in.readFloat();
                    if (!(distribution[i] >= 0f && Float.isFinite(distribution[i]))) {
                        throw new DataException(file + ": probability " + distribution[i] + " is not a finite "
                                + "non-negative number; corrupt");
                    }
                }
                model = new InductiveModel(new FloatMatrix(n, d, x), Prediction.of(classes, distribution),
                        KnnGraph.Options.defaults().withK(k).withMetric(Metric.values()[metric])
                                .withWeighting(Weighting.values()[weighting]).withSigma(sigma));
            }
            long computed = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != computed) {
                throw new DataException(file + ": checksum mismatch; the model file is corrupt");
            }
            return new Saved(model, names);
        } catch (EOFException e) {
            throw truncated(file);
        }
    }

    /** n x d feature values, refused when one is not finite (no model was fitted on such a row). */
    private static float[] readTrainingRows(Path file, DataInputStream in, int n, int d) throws IOException {
        float[] x = new float[FloatMatrix.checkSize(n, d, "training rows")];
        for (int i = 0; i < x.length; i++) {
            x[i] = in.readFloat();
            if (!Float.isFinite(x[i])) {
                throw new DataException(file + ": training value " + x[i] + " is not finite; corrupt");
            }
        }
        return x;
    }

    private static int[] readInts(DataInputStream in, int n) throws IOException {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** The class labels, which a model keeps ascending and non-negative, as {@link org.labelprop.core.Label}s. */
    private static int[] readClasses(Path file, DataInputStream in, int c) throws IOException {
        int[] classes = readInts(in, c);
        for (int i = 0; i < c; i++) {
            if (classes[i] < 0 || (i > 0 && classes[i] <= classes[i - 1])) {
                throw new DataException(file + ": class labels " + (i > 0 ? classes[i - 1] + ", " : "") + classes[i]
                        + " are not ascending non-negative integers; corrupt");
            }
        }
        return classes;
    }

    /** The bytes of the names block: none for numbers. */
    private static long namesSize(ClassNames names) {
        if (!names.named()) {
            return 0;
        }
        long size = 4;
        for (String name : names.names()) {
            size += 4 + name.getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /**
     * The names block of a version 2 file: a name for every class label, valid and ascending as
     * {@link ClassNames#of} wants them.
     */
    private static ClassNames readNames(Path file, DataInputStream in, int[] classes) throws IOException {
        int n = in.readInt();
        if (n <= classes[classes.length - 1] || n > (1 << 20)) {
            throw new DataException(file + ": " + n + " class names for class labels up to "
                    + classes[classes.length - 1] + "; corrupt");
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = in.readInt();
            if (length < 1 || length > MAX_NAME_BYTES) {
                throw new DataException(file + ": class name of " + length + " bytes; corrupt");
            }
            byte[] b = new byte[length];
            in.readFully(b);
            names.add(new String(b, StandardCharsets.UTF_8));
        }
        try {
            return ClassNames.of(names);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": class names: " + e.getMessage() + "; corrupt", e);
        }
    }

    private static void requireFinite(Path file, String what, double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new DataException(file + ": " + what + " " + v + " is not finite; corrupt");
            }
        }
    }

    private static void expectSize(Path file, long size, long expected) {
        if (size != expected) {
            throw new DataException(file + ": the header describes " + expected + " bytes but the file has " + size
                    + "; truncated or corrupt");
        }
    }

    private static DataException truncated(Path file) {
        return new DataException(file + ": file ends early; truncated model file");
    }
}
