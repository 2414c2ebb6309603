package org.labelprop.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.labelprop.core.ClassNames;
import org.labelprop.core.FloatMatrix;

/**
 * Writes predictions, always atomically. CSV by default: a header {@code row,label,confidence} plus
 * {@code p_<class label>} per class when probabilities are given, rows numbered from 0 as in the input
 * arrays, floats in Java's shortest round-trip form. A target ending in {@code .npy} gets a float32
 * {@code n x (2 + C)} array with the same columns instead. Labels that are names ({@link ClassNames}) are
 * written as names in CSV ({@code label} and {@code p_<name>}; an empty label where no label reached the row)
 * and as their class ids 0..C-1 (the names' order) in {@code .npy}, which holds numbers only.
 */
public final class PredictionWriter {
    private PredictionWriter() {
    }

    /**
     * @param labels        predicted original class label per row, -1 where no label reached the row
     * @param confidence    per-row confidence, same length as {@code labels}
     * @param classLabels   {@code classLabels[c]} is the original label of probability column {@code c}
     * @param probabilities row-major {@code n x classLabels.length} class probabilities, or null
     */
    public static void write(Path out, int[] labels, float[] confidence, int[] classLabels, float[] probabilities)
            throws IOException {
        AtomicOutput.write(out, content(out, labels, confidence, classLabels, probabilities));
    }

    /**
     * What {@link #write} writes to {@code out}, for a caller that writes it with other outputs in an
     * {@link OutputSet}; the format follows {@code out}'s name as there.
     */
    public static AtomicOutput.IOConsumer<OutputStream> content(Path out, int[] labels, float[] confidence,
            int[] classLabels, float[] probabilities) {
        return content(out, labels, confidence, classLabels, probabilities, ClassNames.NUMBERS);
    }

    /** {@link #content}, the labels written as {@code names} call them. */
    public static AtomicOutput.IOConsumer<OutputStream> content(Path out, int[] labels, float[] confidence,
            int[] classLabels, float[] probabilities, ClassNames names) {
        int n = labels.length;
        if (confidence.length != n) {
            throw new IllegalArgumentException(n + " labels but " + confidence.length + " confidences");
        }
        if (probabilities != null && probabilities.length != (long) n * classLabels.length) {
            throw new IllegalArgumentException("probabilities hold " + probabilities.length + " values, expected "
                    + n + " x " + classLabels.length);
        }
        if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            FloatMatrix table = table(labels, confidence, classLabels.length, probabilities);
            return stream -> NpyFile.writeMatrix(stream, table);
        }
        return stream -> writeCsv(stream, labels, confidence, classLabels, probabilities, names);
    }

    /**
     * Regression predictions: CSV {@code row,value,reliability}, or a float32 n x 2 {@code .npy}; NaN where no
     * known row reached the row. What is written to {@code out} (by name, as for {@link #content}), for an
     * {@link OutputSet}.
     */
    public static AtomicOutput.IOConsumer<OutputStream> regressionContent(Path out, float[] value,
                                                                         float[] reliability) {
        if (reliability.length != value.length) {
            throw new IllegalArgumentException(value.length + " values but " + reliability.length + " reliabilities");
        }
        if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            FloatMatrix table = FloatMatrix.zeros(value.length, 2);
            for (int i = 0; i < value.length; i++) {
                table.data()[2 * i] = value[i];
                table.data()[2 * i + 1] = reliability[i];
            }
            return stream -> NpyFile.writeMatrix(stream, table);
        }
        return stream -> {
            Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            writer.append("row,value,reliability\n");
            for (int i = 0; i < value.length; i++) {
                writer.append(Integer.toString(i)).append(',').append(Float.toString(value[i])).append(',')
                        .append(Float.toString(reliability[i])).append('\n');
            }
            writer.flush();
        };
    }

    private static FloatMatrix table(int[] labels, float[] confidence, int classes, float[] probabilities) {
        int cols = 2 + (probabilities == null ? 0 : classes);
        FloatMatrix table = FloatMatrix.zeros(labels.length, cols);
        float[] data = table.data();
        for (int i = 0; i < labels.length; i++) {
            data[i * cols] = labels[i];
            data[i * cols + 1] = confidence[i];
            if (probabilities != null) {
                System.arraycopy(probabilities, i * classes, data, i * cols + 2, classes);
            }
        }
        return table;
    }

    private static void writeCsv(OutputStream stream, int[] labels, float[] confidence, int[] classLabels,
            float[] probabilities, ClassNames names) throws IOException {
        // Not closed here: closing would close the stream the caller still owns; flushing is enough.
        Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder("row,label,confidence");
        if (probabilities != null) {
            for (int label : classLabels) {
                line.append(",p_").append(names.name(label));
            }
        }
        writer.append(line).append('\n');
        int classes = classLabels.length;
        for (int i = 0; i < labels.length; i++) {
            line.setLength(0);
            line.append(i).append(',');
            if (names.named()) {
                line.append(names.name(labels[i]));
            } else {
                line.append(labels[i]);
            }
            line.append(',').append(confidence[i]);
            if (probabilities != null) {
                for (int c = 0; c < classes; c++) {
                    line.append(',').append(probabilities[i * classes + c]);
                }
            }
            writer.append(line).append('\n');
        }
        writer.flush();
    }
}
