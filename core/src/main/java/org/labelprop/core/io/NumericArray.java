package org.labelprop.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * A numeric array in C order whose header has been read from a .npy or IDX file, with its data still in the
 * file: {@link #readMatrix} or {@link #read} reads it once, in chunks of about a megabyte, so multi-gigabyte
 * files never pass through per-element stream calls or a second full-size buffer.
 *
 * <p>The first dimension is the row; any further dimensions are flattened into columns, so a 1-D array is
 * {@code n x 1} and IDX images {@code n x r x c} are {@code n x (r * c)}.
 */
public final class NumericArray implements Closeable {
    private static final int CHUNK_BYTES = 1 << 20;

    private final String file;
    private final ReadableByteChannel in;
    private final ElementType type;
    private final ByteOrder order;
    private final long[] shape;
    private final int rows;
    private final int cols;

    /** Receives the array's values in C order, a chunk at a time, each converted to double. */
    @FunctionalInterface
    public interface ChunkConsumer {
        /** {@code values[0, count)} are the elements at flat indices {@code [first, first + count)}. */
        void accept(long first, double[] values, int count);
    }

    NumericArray(String file, ReadableByteChannel in, ElementType type, ByteOrder order, long[] shape)
            throws IOException {
        if (shape.length == 0) {
            throw new DataException(file + ": array is a scalar; expected one row per data point");
        }
        // Each factor is checked below 2^31 before multiplying, so a corrupt header cannot overflow the product.
        long cols = 1;
        for (int d = 1; d < shape.length && cols <= Integer.MAX_VALUE; d++) {
            cols = shape[d] <= Integer.MAX_VALUE ? cols * shape[d] : Long.MAX_VALUE;
        }
        if (shape[0] > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new DataException(file + ": shape " + Arrays.toString(shape)
                    + " exceeds Java's array limit of 2^31 elements (corrupt header?)");
        }
        FloatMatrix.checkSize(shape[0], cols, file + ": array");
        this.file = file;
        this.in = in;
        this.type = type;
        this.order = order;
        this.shape = shape;
        this.rows = (int) shape[0];
        this.cols = (int) cols;
        // Check declared sizes against what the file can hold before allocating for them: exactly for a plain
        // file, by deflate's largest expansion for a gzipped one. Other streams are checked as they are read.
        long bytes = (long) rows * this.cols * type.size;
        if (in instanceof FileChannel channel) {
            long have = channel.size() - channel.position();
            if (have < bytes) {
                throw new DataException(file + ": file is shorter than its header's shape " + Arrays.toString(shape)
                        + " requires (truncated?)");
            }
            if (have > bytes) {
                throw moreData(file, type, shape);
            }
        } else if (in instanceof FileInput.Gzip gzip && bytes > gzip.maxBytes()) {
            throw new DataException(file + ": header's shape " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes, more than this gzip file can hold (corrupt header?)");
        }
    }

    /** The shape as stored in the file. */
    public long[] shape() {
        return shape.clone();
    }

    public int rows() {
        return rows;
    }

    /** The product of all dimensions after the first; 1 for a 1-D array. */
    public int cols() {
        return cols;
    }

    /** Reads the whole array as a {@code rows() x cols()} matrix; integers and doubles are converted to float. */
    public FloatMatrix readMatrix() throws IOException {
        float[] data = new float[rows * cols];
        readBuffers((buffer, first, count) -> type.toFloats(buffer, data, (int) first, count));
        return new FloatMatrix(rows, cols, data);
    }

    /**
     * Reads a 1-D or {@code n x 1} array of integral values, for index and label files written by
     * {@link NpyFile#writeInts}.
     */
    public int[] readInts() throws IOException {
        if (cols != 1) {
            throw new DataException(file + ": shape " + Arrays.toString(shape) + ", expected a 1-D array");
        }
        int[] values = new int[rows];
        read((first, chunk, count) -> {
            for (int i = 0; i < count; i++) {
                double v = chunk[i];
                if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw DataException.atRow(file, first + i + 1, v + " is not a 32-bit integer");
                }
                values[(int) first + i] = (int) v;
            }
        });
        return values;
    }

    /** Reads the whole array, handing it to {@code consumer} in chunks; the chunk array is reused. */
    public void read(ChunkConsumer consumer) throws IOException {
        double[] chunk = new double[elementsPerChunk()];
        readBuffers((buffer, first, count) -> {
            type.toDoubles(buffer, chunk, count);
            consumer.accept(first, chunk, count);
        });
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private interface BufferConsumer {
        void accept(ByteBuffer buffer, long first, int count);
    }

    private int elementsPerChunk() {
        return (int) Math.max(1, Math.min((long) rows * cols, CHUNK_BYTES / type.size));
    }

    private void readBuffers(BufferConsumer consumer) throws IOException {
        long total = (long) rows * cols;
        int perChunk = elementsPerChunk();
        ByteBuffer buffer = ByteBuffer.allocate(perChunk * type.size).order(order);
        for (long first = 0; first < total; first += perChunk) {
            int count = (int) Math.min(perChunk, total - first);
            buffer.clear().limit(count * type.size);
            FileInput.readFully(in, buffer, file);
            buffer.flip();
            consumer.accept(buffer, first, count);
        }
        if (!(in instanceof FileChannel) && !FileInput.atEnd(in)) {
            throw moreData(file, type, shape);
        }
    }

    private static DataException moreData(String file, ElementType type, long[] shape) {
        return new DataException(file + ": file holds more data than its header's shape " + Arrays.toString(shape)
                + " of " + type.name().toLowerCase(java.util.Locale.ROOT) + " needs (wrong dtype or shape?)");
    }
}
