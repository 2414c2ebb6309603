package org.labelprop.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * The IDX format of MNIST and its relatives (Fashion-MNIST, KMNIST, EMNIST), plain or gzipped.
 *
 * <p>Layout: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int,
 * 0x0D float, 0x0E double), the number of dimensions, each dimension as a big-endian int32, then the data,
 * big-endian, in C order. Images {@code n x r x c} read as an {@code n x (r * c)} matrix of the raw values,
 * not scaled, so pixel intensities stay 0 to 255.
 */
public final class IdxFile {
    private IdxFile() {
    }

    /** Reads the header and leaves the data to be read from the returned array, which must be closed. */
    public static NumericArray open(Path file) throws IOException {
        String name = file.toString();
        ReadableByteChannel in = FileInput.open(file);
        try {
            ByteBuffer magic = ByteBuffer.allocate(4);
            FileInput.readFully(in, magic, name);
            if (magic.get(0) != 0 || magic.get(1) != 0) {
                throw new DataException(name + ": not an IDX file (magic number does not start with 0x0000)");
            }
            ElementType type = switch (magic.get(2)) {
                case 0x08 -> ElementType.UINT8;
                case 0x09 -> ElementType.INT8;
                case 0x0B -> ElementType.INT16;
                case 0x0C -> ElementType.INT32;
                case 0x0D -> ElementType.FLOAT32;
                case 0x0E -> ElementType.FLOAT64;
                default -> throw new DataException(String.format(
                        "%s: unknown IDX type byte 0x%02X (expected 08, 09, 0B, 0C, 0D or 0E)", name, magic.get(2)));
            };
            int dims = Byte.toUnsignedInt(magic.get(3));
            ByteBuffer sizes = ByteBuffer.allocate(dims * Integer.BYTES).order(ByteOrder.BIG_ENDIAN);
            FileInput.readFully(in, sizes, name);
            long[] shape = new long[dims];
            for (int d = 0; d < dims; d++) {
                shape[d] = Integer.toUnsignedLong(sizes.getInt(d * Integer.BYTES));
            }
            return new NumericArray(name, in, type, ByteOrder.BIG_ENDIAN, shape);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads images as an {@code n x (r * c)} matrix, or a 1-D file as {@code n x 1}. */
    public static FloatMatrix readMatrix(Path file) throws IOException {
        try (NumericArray array = open(file)) {
            return array.readMatrix();
        }
    }
}
