package org.labelprop.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.labelprop.core.DataException;

/**
 * Reads a text table one row at a time and splits it into fields in place: no regex, no per-field strings
 * for plain integers, because feature files reach tens of millions of values.
 *
 * <p>The separator is chosen once, from the first row: a comma if it has one, else a tab, else runs of
 * whitespace. Comma and tab fields are trimmed. Lines whose first non-blank character is '#' are comments
 * (numpy.savetxt writes its header that way). Rows are numbered by line, counted from 1, as an editor shows.
 */
final class DelimitedText implements Closeable {
    private static final int READ_BUFFER = 1 << 16;
    private static final char WHITESPACE = ' ';
    /** 18 decimal digits always fit in a long, which converts to float or double with one correct rounding. */
    private static final int MAX_FAST_DIGITS = 18;
    private static final float[] FLOAT_POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final double[] DOUBLE_POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** A longer line is binary data or a file without line breaks (a gzip bomb, a device of zeros). */
    static final int MAX_LINE = 1 << 24;

    private final String file;
    private final Reader in;
    private final char[] buffer = new char[READ_BUFFER];
    private int bufferPos;
    private int bufferEnd;
    /** The last line ended with '\r': a '\n' right after it belongs to the same line break. */
    private boolean skipNewline;
    private final boolean blankLinesAreRows;
    /** Comma and tab separate fields on every line, runs of whitespace never: a label may hold spaces. */
    private final boolean oneColumn;
    private char separator;
    /** The current line's characters: scanning an array avoids String.charAt's per-call checks. */
    private char[] chars = new char[256];
    private int length;
    private long lineNumber;
    /** The last {@link #parseDecimal} result: the value is {@code mantissa * 10^exponent}. */
    private long mantissa;
    private int exponent;
    private int fields;
    private int[] starts = new int[16];
    private int[] ends = new int[16];

    private DelimitedText(String file, Reader in, boolean blankLinesAreRows, boolean oneColumn) {
        this.file = file;
        this.in = in;
        this.blankLinesAreRows = blankLinesAreRows;
        this.oneColumn = oneColumn;
    }

    /**
     * Opens the file (gzip detected from content). With {@code blankLinesAreRows} a blank line is a row with
     * one empty field, as in a label column with missing values; otherwise blank lines are skipped.
     */
    static DelimitedText open(Path file, boolean blankLinesAreRows) throws IOException {
        return open(file, blankLinesAreRows, false);
    }

    /**
     * Opens a file of one value per line, such as labels: blank lines are rows with one empty field, and
     * only a comma or a tab separates fields (so a second column is still seen), never spaces, which a class
     * name may hold.
     */
    static DelimitedText openColumn(Path file) throws IOException {
        return open(file, true, true);
    }

    private static DelimitedText open(Path file, boolean blankLinesAreRows, boolean oneColumn) throws IOException {
        // InputStreamReader replaces undecodable bytes, so a binary file fails as "not a number",
        // not deep inside a charset decoder.
        Reader reader = new InputStreamReader(Channels.newInputStream(FileInput.open(file)), StandardCharsets.UTF_8);
        return new DelimitedText(file.toString(), reader, blankLinesAreRows, oneColumn);
    }

    /** Advances to the next row; false at the end of the file. */
    boolean next() throws IOException {
        while (readLine()) {
            lineNumber++;
            if (lineNumber == 1 && length > 0 && chars[0] == '\uFEFF') {
                System.arraycopy(chars, 1, chars, 0, --length);
            }
            int first = skipBlanks(0);
            if (first == length) {
                if (blankLinesAreRows) {
                    fields = 1;
                    starts[0] = 0;
                    ends[0] = 0;
                    return true;
                }
                continue;
            }
            if (chars[first] == '#') {
                continue;
            }
            if (separator == 0) {
                separator = oneColumn || contains(',') ? ',' : contains('\t') ? '\t' : WHITESPACE;
            }
            split();
            return true;
        }
        return false;
    }

    /**
     * Reads the next line into {@link #chars} without its line break ({@code \n}, {@code \r\n} or {@code \r},
     * as BufferedReader); false at the end of the input.
     */
    private boolean readLine() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (bufferPos == bufferEnd) {
                bufferEnd = in.read(buffer, 0, buffer.length);
                bufferPos = 0;
                if (bufferEnd < 0) {
                    bufferEnd = 0;
                    return any;
                }
                continue;
            }
            if (skipNewline) {
                skipNewline = false;
                if (buffer[bufferPos] == '\n') {
                    bufferPos++;
                    continue;
                }
            }
            any = true;
            int start = bufferPos;
            while (bufferPos < bufferEnd && buffer[bufferPos] != '\n' && buffer[bufferPos] != '\r') {
                bufferPos++;
            }
            append(start, bufferPos - start);
            if (bufferPos < bufferEnd) {
                skipNewline = buffer[bufferPos++] == '\r';
                return true;
            }
        }
    }

    private void append(int from, int n) {
        if (length + n > MAX_LINE) {
            throw DataException.atRow(file, lineNumber + 1, "line longer than " + MAX_LINE
                    + " characters (binary data, or a file without line breaks?)");
        }
        if (length + n > chars.length) {
            chars = Arrays.copyOf(chars, Math.min(MAX_LINE, Math.max(length + n, chars.length * 2)));
        }
        System.arraycopy(buffer, from, chars, length, n);
        length += n;
    }

    private boolean contains(char c) {
        for (int i = 0; i < length; i++) {
            if (chars[i] == c) {
                return true;
            }
        }
        return false;
    }

    String file() {
        return file;
    }

    long lineNumber() {
        return lineNumber;
    }

    int fieldCount() {
        return fields;
    }

    boolean isEmpty(int field) {
        return starts[field] == ends[field];
    }

    String text(int field) {
        return new String(chars, starts[field], ends[field] - starts[field]);
    }

    /**
     * True when some field is neither empty nor a number: the row is a header. A header of numbers cannot
     * be told from data and is read as data.
     */
    boolean isHeader() {
        for (int f = 0; f < fields; f++) {
            if (!isEmpty(f) && !parseDecimal(f) && parseSpecial(text(f)) == null && !isDecimalSyntax(text(f))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the field reads as a number (NaN and infinities included): whether {@link #doubleAt} succeeds. */
    boolean isNumber(int field) {
        if (parseDecimal(field)) {
            return true;
        }
        String text = text(field);
        if (parseSpecial(text) != null) {
            return true;
        }
        if (!isDecimalSyntax(text) || text.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The field as a float; "nan" and "inf" in any case are accepted so callers can report them precisely. */
    float floatAt(int field) {
        // Clinger's fast path: both operands are exact floats, so one IEEE operation rounds correctly,
        // giving exactly what Float.parseFloat would.
        if (parseDecimal(field)) {
            if (exponent == 0) {
                return mantissa;
            }
            if (Math.abs(mantissa) <= 1L << 24 && Math.abs(exponent) <= 10) {
                return exponent < 0 ? mantissa / FLOAT_POWERS[-exponent] : mantissa * FLOAT_POWERS[exponent];
            }
        }
        String text = text(field);
        if (isDecimalSyntax(text)) {
            try {
                return Float.parseFloat(text);
            } catch (NumberFormatException e) {
                // "1e", "--1": decimal characters, but not a number.
            }
        }
        return (float) special(field, text);
    }

    /** The field as a double, with the same rules as {@link #floatAt}. */
    double doubleAt(int field) {
        if (parseDecimal(field)) {
            if (exponent == 0) {
                return mantissa;
            }
            if (Math.abs(mantissa) <= 1L << 53 && Math.abs(exponent) <= 22) {
                return exponent < 0 ? mantissa / DOUBLE_POWERS[-exponent] : mantissa * DOUBLE_POWERS[exponent];
            }
        }
        String text = text(field);
        if (isDecimalSyntax(text)) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                // As in floatAt.
            }
        }
        return special(field, text);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private double special(int field, String text) {
        Double value = parseSpecial(text);
        if (value == null) {
            throw DataException.atCell(file, lineNumber, field + 1,
                    text.isEmpty() ? "empty value" : DataException.quote(text) + " is not a number");
        }
        return value;
    }

    /**
     * Whether the text uses only the characters of a decimal number ({@code -1.5e3}). Java's parsers also take
     * {@code 1.5f}, {@code 2d} and hexadecimal {@code 0x1p3}, which are not numbers in a CSV file.
     */
    private static boolean isDecimalSyntax(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    /** NaN and infinity as numpy, pandas and R spell them; Java's own spellings parse directly. */
    private static Double parseSpecial(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        return switch (t) {
            case "nan" -> Double.NaN;
            case "inf", "infinity" -> negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default -> null;
        };
    }

    /**
     * The fast path for plain decimals ({@code -12}, {@code 0.125}, {@code 3e-3}), by far the common case:
     * sets {@link #mantissa} and {@link #exponent} so the value is {@code mantissa * 10^exponent}, or returns
     * false for anything else (too many digits, NaN, junk), which goes to the JDK's parser.
     */
    private boolean parseDecimal(int field) {
        int i = starts[field];
        int end = ends[field];
        boolean negative = i < end && chars[i] == '-';
        if (negative || (i < end && chars[i] == '+')) {
            i++;
        }
        long m = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < end; i++) {
            char c = chars[i];
            if (c >= '0' && c <= '9') {
                if (++digits > MAX_FAST_DIGITS) {
                    return false;
                }
                m = m * 10 + (c - '0');
                if (point) {
                    scale--;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        // A long has no negative zero; "-0" is rare enough to leave to the JDK.
        if (digits == 0 || (negative && m == 0)) {
            return false;
        }
        if (i < end) {
            if ((chars[i] != 'e' && chars[i] != 'E') || ++i == end) {
                return false;
            }
            boolean negativeExponent = chars[i] == '-';
            if (negativeExponent || chars[i] == '+') {
                i++;
            }
            if (i == end || end - i > 3) {
                return false;
            }
            int e = 0;
            for (; i < end; i++) {
                int d = chars[i] - '0';
                if (d < 0 || d > 9) {
                    return false;
                }
                e = e * 10 + d;
            }
            scale += negativeExponent ? -e : e;
        }
        mantissa = negative ? -m : m;
        exponent = scale;
        return true;
    }

    private void split() {
        fields = 0;
        if (separator == WHITESPACE) {
            for (int i = skipBlanks(0); i < length; i = skipBlanks(i)) {
                int start = i;
                while (i < length && chars[i] > ' ') {
                    i++;
                }
                addField(start, i);
            }
            return;
        }
        for (int start = 0; ; ) {
            int stop = start;
            if (oneColumn) {
                // Either separator on any line: a second column is seen whatever the first line held.
                while (stop < length && chars[stop] != ',' && chars[stop] != '\t') {
                    stop++;
                }
            } else {
                while (stop < length && chars[stop] != separator) {
                    stop++;
                }
            }
            int e = stop;
            while (e > start && chars[e - 1] <= ' ') {
                e--;
            }
            int b = start;
            while (b < e && chars[b] <= ' ') {
                b++;
            }
            addField(b, e);
            if (stop == length) {
                return;
            }
            start = stop + 1;
        }
    }

    private int skipBlanks(int from) {
        int i = from;
        while (i < length && chars[i] <= ' ') {
            i++;
        }
        return i;
    }

    private void addField(int start, int end) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = start;
        ends[fields] = end;
        fields++;
    }
}
