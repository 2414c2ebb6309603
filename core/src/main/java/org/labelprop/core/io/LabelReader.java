package org.labelprop.core.io;

import it.unimi.dsi.fastutil.ints.IntArrayList;
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
        return FileInput.naming(file, () -> switch (FileFormat.of(file)) {
            case TEXT -> readText(file);
            case NPY -> readArray(file.toString(), NpyFile.open(file));
            case IDX -> readArray(file.toString(), IdxFile.open(file));
        });
    }

    private static int[] readText(Path file) throws IOException {
        try (DelimitedText text = DelimitedText.open(file, true)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected one label per line");
            }
            if (text.isHeader() && !text.next()) {
                throw new DataException(file + ": only a header line, no labels");
            }
            IntArrayList labels = new IntArrayList();
            do {
                if (text.fieldCount() != 1) {
                    throw DataException.atRow(text.file(), text.lineNumber(), text.fieldCount()
                            + " columns; expected one label per row");
                }
                labels.add(text.isEmpty(0) ? Label.UNLABELED
                        : toLabel(text.file(), text.lineNumber(), text.doubleAt(0)));
            } while (text.next());
            labels.trim();
            return labels.elements();
        }
    }

    private static int[] readArray(String file, NumericArray opened) throws IOException {
        try (NumericArray array = opened) {
            if (array.cols() != 1) {
                throw new DataException(file + ": shape " + Arrays.toString(array.shape())
                        + "; expected one label per row (a 1-D or n x 1 array)");
            }
            int[] labels = new int[array.rows()];
            array.read((first, values, count) -> {
                for (int i = 0; i < count; i++) {
                    labels[(int) first + i] = toLabel(file, first + i + 1, values[i]);
                }
            });
            return labels;
        }
    }

    private static int toLabel(String file, long row, double value) {
        if (Double.isNaN(value) || value == Label.UNLABELED) {
            return Label.UNLABELED;
        }
        if (value < 0 || value > Integer.MAX_VALUE || value != Math.rint(value)) {
            throw DataException.atRow(file, row, "label " + value
                    + " is neither a non-negative integer nor -1 (unlabeled)");
        }
        return (int) value;
    }
}
