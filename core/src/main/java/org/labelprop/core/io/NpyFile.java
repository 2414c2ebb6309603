package org.labelprop.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * NumPy's .npy format, versions 1.0, 2.0 and 3.0: reading C-ordered arrays of {@code f4, f8, i4, i8, u1}
 * (also {@code i1, i2}) in either byte order, and writing float32 matrices and int32 vectors as version 1.0.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, major and minor version bytes, the header length (2 bytes little
 * endian in version 1, 4 bytes in 2 and 3), then a Python dict literal (Latin-1, or UTF-8 in version 3)
 * giving {@code descr}, {@code fortran_order} and {@code shape}, then the raw data.
 */
public final class NpyFile {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data to 64 bytes so it can be memory-mapped and read with aligned vector loads. */
    private static final int ALIGNMENT = 64;
    /** Real headers are a few hundred bytes; a huge length means a corrupt file, not a reason to allocate. */
    private static final int MAX_HEADER = 1 << 20;
    private static final int WRITE_CHUNK = 1 << 16;
    private static final String SUPPORTED = "'<f4', '<f8', '<i4', '<i8', '|u1' (any byte order)";


    private NpyFile() {
    }

    /** Reads the header and leaves the data to be read from the returned array, which must be closed. */
    public static NumericArray open(Path file) throws IOException {
        String name = file.toString();
        ReadableByteChannel in = FileInput.open(file);
        try {
            ByteBuffer preamble = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
            FileInput.readFully(in, preamble, name);
            if (!Arrays.equals(preamble.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new DataException(name + ": not a .npy file (no \\x93NUMPY magic at the start)");
            }
            int major = preamble.get(MAGIC.length);
            if (major < 1 || major > 3) {
                throw new DataException(name + ": .npy format version " + major + " is not supported (1, 2 or 3)");
            }
            ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
            FileInput.readFully(in, length, name);
            long headerLength = major == 1 ? Short.toUnsignedInt(length.getShort(0))
                    : Integer.toUnsignedLong(length.getInt(0));
            if (headerLength > MAX_HEADER) {
                throw new DataException(name + ": .npy header length " + headerLength
                        + " is implausible (corrupt file?)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            FileInput.readFully(in, header, name);
            String dict = new String(header.array(),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return parseHeader(name, in, dict);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads an array of any supported dtype as a float matrix ({@code n x 1} for 1-D; see {@link NumericArray}). */
    public static FloatMatrix readMatrix(Path file) throws IOException {
        try (NumericArray array = open(file)) {
            return array.readMatrix();
        }
    }

    /** Reads a 1-D or {@code n x 1} array of integral values, as written by {@link #writeInts}. */
    public static int[] readInts(Path file) throws IOException {
        try (NumericArray array = open(file)) {
            return array.readInts();
        }
    }

    /** Writes the matrix as a float32 2-D array, atomically. */
    public static void writeMatrix(Path file, FloatMatrix matrix) throws IOException {
        AtomicOutput.write(file, out -> writeMatrix(out, matrix));
    }

    /** Writes the matrix as a float32 2-D array to the stream, for callers composing their own output. */
    public static void writeMatrix(OutputStream out, FloatMatrix matrix) throws IOException {
        writeHeader(out, "<f4", "(" + matrix.rows() + ", " + matrix.cols() + ")");
        float[] data = matrix.data();
        ByteBuffer buffer = ByteBuffer.allocate(WRITE_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = WRITE_CHUNK / Float.BYTES;
        for (int off = 0; off < data.length; off += perChunk) {
            int n = Math.min(perChunk, data.length - off);
            buffer.asFloatBuffer().put(data, off, n);
            out.write(buffer.array(), 0, n * Float.BYTES);
        }
    }

    /** Writes the values as an int32 1-D array, atomically. */
    public static void writeInts(Path file, int[] values) throws IOException {
        AtomicOutput.write(file, out -> {
            writeHeader(out, "<i4", "(" + values.length + ",)");
            ByteBuffer buffer = ByteBuffer.allocate(WRITE_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = WRITE_CHUNK / Integer.BYTES;
            for (int off = 0; off < values.length; off += perChunk) {
                int n = Math.min(perChunk, values.length - off);
                buffer.asIntBuffer().put(values, off, n);
                out.write(buffer.array(), 0, n * Integer.BYTES);
            }
        });
    }

    private static NumericArray parseHeader(String name, ReadableByteChannel in, String dict) throws IOException {
        Map<String, String> entries = HeaderDict.parse(dict);
        String descr = HeaderDict.get(entries, "descr", '\'');
        String fortran = HeaderDict.get(entries, "fortran_order", 'F');
        String shape = HeaderDict.get(entries, "shape", '(');
        if (descr == null || shape == null || fortran == null && !"True".equals(entries.get("fortran_order"))) {
            throw new DataException(name + ": unsupported .npy header " + DataException.quote(dict.strip())
                    + " (structured dtypes are not supported; expected one of " + SUPPORTED + ")");
        }
        if (fortran == null) {
            throw new DataException(name + ": array is stored in Fortran order; save it in C order, e.g. "
                    + "numpy.save(path, numpy.ascontiguousarray(a))");
        }
        return new NumericArray(name, in, elementType(name, descr), byteOrder(descr), parseShape(name, shape));
    }

    /**
     * The header's Python dict literal, read in one pass (numpy headers reach a megabyte; a regular
     * expression's retries made that quadratic): string keys to values as written, a string with its
     * opening quote and a tuple with its opening parenthesis, so {@link #get} can tell them apart. Null
     * when the text is not such a dict.
     */
    private static final class HeaderDict {
        private final String text;
        private int pos;

        private HeaderDict(String text) {
            this.text = text;
        }

        static Map<String, String> parse(String text) {
            return new HeaderDict(text).dict();
        }

        /**
         * The value of {@code key} if it starts with {@code kind} ({@code '} a string, {@code (} a tuple,
         * without that character; {@code F} the literal False), else null.
         */
        static String get(Map<String, String> entries, String key, char kind) {
            String value = entries == null ? null : entries.get(key);
            if (value == null || value.isEmpty() || value.charAt(0) != kind) {
                return null;
            }
            return kind == 'F' ? (value.equals("False") ? value : null) : value.substring(1);
        }

        private Map<String, String> dict() {
            Map<String, String> entries = new HashMap<>();
            if (!accept('{')) {
                return null;
            }
            while (!accept('}')) {
                String key = quoted();
                if (key == null || !accept(':')) {
                    return null;
                }
                String value = value();
                if (value == null) {
                    return null;
                }
                entries.put(key, value);
                if (!accept(',') && !(peek() == '}')) {
                    return null;
                }
            }
            return entries;
        }

        private String value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                String s = quoted();
                return s == null ? null : "'" + s;
            }
            if (c == '(') {
                int close = text.indexOf(')', pos);
                if (close < 0) {
                    return null;
                }
                String tuple = text.substring(pos + 1, close);
                pos = close + 1;
                return "(" + tuple;
            }
            int start = pos;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            return pos == start ? null : text.substring(start, pos);
        }

        private String quoted() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                return null;
            }
            int close = text.indexOf(quote, pos + 1);
            if (close < 0) {
                return null;
            }
            String s = text.substring(pos + 1, close);
            pos = close + 1;
            return s;
        }

        /** Skips whitespace and consumes {@code c} if it comes next. */
        private boolean accept(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Skips whitespace and returns the next character, or 0 at the end. */
        private char peek() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return pos < text.length() ? text.charAt(pos) : 0;
        }
    }

    private static ElementType elementType(String name, String dtype) {
        String code = dtype.isEmpty() || Character.isLetter(dtype.charAt(0)) ? dtype : dtype.substring(1);
        return switch (code) {
            case "f4" -> ElementType.FLOAT32;
            case "f8" -> ElementType.FLOAT64;
            case "i4" -> ElementType.INT32;
            case "i8" -> ElementType.INT64;
            case "i2" -> ElementType.INT16;
            case "i1" -> ElementType.INT8;
            case "u1" -> ElementType.UINT8;
            default -> throw new DataException(name + ": dtype " + DataException.quote(dtype)
                    + " is not supported; expected one of "
                    + SUPPORTED + "; convert with a.astype(numpy.float32)");
        };
    }

    /** '=' is native order, as numpy reads it; '|' marks single-byte types, where order does not matter. */
    private static ByteOrder byteOrder(String dtype) {
        return dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN
                : dtype.startsWith("<") ? ByteOrder.LITTLE_ENDIAN
                : ByteOrder.nativeOrder();
    }

    private static long[] parseShape(String name, String tuple) {
        String[] parts = tuple.split(",");
        long[] shape = new long[parts.length];
        int dims = 0;
        for (String part : parts) {
            // Python 2 wrote long dimensions with an L suffix.
            String digits = part.strip().replace("L", "");
            if (digits.isEmpty()) {
                continue;
            }
            try {
                shape[dims] = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                shape[dims] = -1;
            }
            if (shape[dims] < 0) {
                throw new DataException(name + ": bad shape " + DataException.quote("(" + tuple + ")")
                        + " in .npy header");
            }
            dims++;
        }
        return Arrays.copyOf(shape, dims);
    }

    private static void writeHeader(OutputStream out, String descr, String shape) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padded = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = (dict + " ".repeat(padded - unpadded) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
        out.write(header);
    }
}
