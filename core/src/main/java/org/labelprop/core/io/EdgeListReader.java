package org.labelprop.core.io;

import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.labelprop.core.DataException;

/**
 * Reads a graph's edges from text lines {@code src,dst[,weight]} (comma, tab or whitespace separated,
 * optional header, '#' comments) or a .npy array of shape {@code (m, 2)} or {@code (m, 3)}. Node ids are
 * non-negative integers; weights are finite and non-negative.
 */
public final class EdgeListReader {
    private EdgeListReader() {
    }

    public static EdgeList read(Path file) throws IOException {
        return FileInput.naming(file, () -> switch (FileFormat.of(file)) {
            case TEXT -> readText(file);
            case NPY -> readArray(file.toString(), NpyFile.open(file));
            case IDX -> throw new DataException(file + ": IDX holds images or labels, not edges; "
                    + "give edges as src,dst[,weight] text or an (m, 2) / (m, 3) .npy array");
        });
    }

    private static EdgeList readText(Path file) throws IOException {
        try (DelimitedText text = DelimitedText.open(file, false)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected lines src,dst[,weight]");
            }
            if (text.isHeader() && !text.next()) {
                throw new DataException(file + ": only a header line, no edges");
            }
            int cols = text.fieldCount();
            if (cols != 2 && cols != 3) {
                throw DataException.atRow(text.file(), text.lineNumber(), cols
                        + " columns; expected src,dst or src,dst,weight");
            }
            IntArrayList src = new IntArrayList();
            IntArrayList dst = new IntArrayList();
            FloatArrayList weight = cols == 3 ? new FloatArrayList() : null;
            do {
                long row = text.lineNumber();
                if (text.fieldCount() != cols) {
                    throw DataException.atRow(text.file(), row, text.fieldCount() + " columns, expected " + cols
                            + " like the first edge");
                }
                src.add(nodeId(text.file(), row, text.doubleAt(0)));
                dst.add(nodeId(text.file(), row, text.doubleAt(1)));
                if (weight != null) {
                    weight.add(checkWeight(text.file(), row, text.floatAt(2)));
                }
            } while (text.next());
            src.trim();
            dst.trim();
            if (weight == null) {
                return new EdgeList(src.elements(), dst.elements(), null);
            }
            weight.trim();
            return new EdgeList(src.elements(), dst.elements(), weight.elements());
        }
    }

    private static EdgeList readArray(String file, NumericArray opened) throws IOException {
        try (NumericArray array = opened) {
            int cols = array.cols();
            if (array.shape().length != 2 || (cols != 2 && cols != 3)) {
                throw new DataException(file + ": shape " + Arrays.toString(array.shape())
                        + "; expected (m, 2) for src, dst or (m, 3) for src, dst, weight");
            }
            int m = array.rows();
            int[] src = new int[m];
            int[] dst = new int[m];
            float[] weight = cols == 3 ? new float[m] : null;
            array.read((first, values, count) -> {
                for (int i = 0; i < count; i++) {
                    long index = first + i;
                    int edge = (int) (index / cols);
                    int col = (int) (index % cols);
                    if (col == 0) {
                        src[edge] = nodeId(file, edge + 1L, values[i]);
                    } else if (col == 1) {
                        dst[edge] = nodeId(file, edge + 1L, values[i]);
                    } else {
                        weight[edge] = checkWeight(file, edge + 1L, (float) values[i]);
                    }
                }
            });
            return new EdgeList(src, dst, weight);
        }
    }

    private static int nodeId(String file, long row, double value) {
        if (!(value >= 0) || value > Integer.MAX_VALUE || value != Math.rint(value)) {
            throw DataException.atRow(file, row, "node id " + value + " is not a non-negative integer");
        }
        return (int) value;
    }

    private static float checkWeight(String file, long row, float value) {
        if (!(value >= 0) || value == Float.POSITIVE_INFINITY) {
            throw DataException.atRow(file, row, "weight " + value + " is not a finite non-negative number");
        }
        return value;
    }
}
