package org.labelprop.core.io;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.Label;

/**
 * Reads one class label per data point, {@value Label#UNLABELED} marking a point whose label is unknown, from
 * text (one value per line, optional header; {@code -1}, an empty line or NaN is unlabeled; integral floats
 * such as {@code 3.0} are accepted), .npy (integer or float dtype, NaN unlabeled) or a 1-D IDX file.
 *
 * <p>{@link #readNamed} also takes class names ({@code cat}, {@code ankle boot}) in text files: when any
 * value below the first line is neither empty nor a number, every value is a name (as pandas reads such a
 * column as strings), numbered by {@link ClassNames}; an empty line, {@code -1} or NaN is still unlabeled.
 * Spaces inside a value are part of it; only a comma or tab separates columns; a value in double quotes
 * ({@code "cat"}, as R writes strings) is unquoted. The first line of a names file is a header when it is not
 * a number and occurs nowhere else in the file: a class whose only labeled row is the first line would be
 * taken for a header, which a header line (any text that is not a class) rules out.
 */
public final class LabelReader {
    private LabelReader() {
    }

    /**
     * Integer labels; a text value that is not a number is an error naming its row (class names are read by
     * {@link #readNamed}).
     */
    public static int[] read(Path file) throws IOException {
        return toLabels(file, readValues(file));
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
    private record Values(double[] values, int firstLine, String header) {
    }

    /**
     * Labels with what they are called: numbers as {@link #read} reads them ({@link ClassNames#NUMBERS}), or,
     * from a text file whose values are not all numbers, names numbered 0..C-1 in {@link ClassNames#ORDER}
     * (see the class comment for the rules).
     */
    public static LabelFile readNamed(Path file) throws IOException {
        return FileInput.naming(file, () -> {
            if (FileFormat.of(file) != FileFormat.TEXT) {
                Values v = readValues(file);
                return new LabelFile(toLabels(file, v), ClassNames.NUMBERS, null);
            }
            // A plain file is read as numbers first, the common case, without a string per row; a second
            // pass reads names. A pipe cannot be read twice, so it is read as text in one pass.
            if (Files.isRegularFile(file)) {
                Values v = readText(file, true);
                if (v != null) {
                    return new LabelFile(toLabels(file, v), ClassNames.NUMBERS, v.header());
                }
            }
            return readTexts(file).labels(file);
        });
    }

    /**
     * Labels called by {@code names}, as the labels of the same rows were read by {@link #readNamed}: true
     * labels or validation labels for a run. With {@link ClassNames#NUMBERS} this is {@link #read}; with names,
     * a text file whose first line is a header when it is not one of them, and a value that is not one of them
     * is an error naming the file, row and value.
     */
    public static int[] read(Path file, ClassNames names) throws IOException {
        if (!names.named()) {
            return read(file);
        }
        if (FileFormat.of(file) != FileFormat.TEXT) {
            throw new DataException(file + ": holds numbers, but the labels are class names (" + names.describe()
                    + "); give these labels as text, one name per line");
        }
        return FileInput.naming(file, () -> {
            try (DelimitedText text = DelimitedText.openColumn(file)) {
                if (!text.next()) {
                    throw new DataException(file + ": file is empty; expected one label per line");
                }
                IntArrayList labels = new IntArrayList();
                boolean first = true;
                do {
                    String value = value(text);
                    int label = Label.UNLABELED;
                    if (!value.isEmpty() && !ClassNames.isUnlabeledMarker(value)) {
                        label = names.label(value);
                        if (label < 0 && first && text.isHeader()) {
                            first = false;
                            continue;
                        }
                        if (label < 0) {
                            throw DataException.atRow(text.file(), text.lineNumber(), "label "
                                    + DataException.quote(value) + " is not one of the labels' classes ("
                                    + names.describe() + ")");
                        }
                    }
                    first = false;
                    labels.add(label);
                } while (text.next());
                return labels.toIntArray();
            }
        });
    }

    private static int[] toLabels(Path file, Values v) {
        int[] labels = new int[v.values().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = toLabel(file.toString(), v.firstLine() + i, v.values()[i]);
        }
        return labels;
    }

    private static Values readValues(Path file) throws IOException {
        return FileInput.naming(file, () -> switch (FileFormat.of(file)) {
            case TEXT -> readText(file, false);
            case NPY -> readArray(file.toString(), NpyFile.open(file));
            case IDX -> readArray(file.toString(), IdxFile.open(file));
        });
    }

    /**
     * The values of a text file of numbers; with {@code orNames}, null as soon as a value below the first line
     * is neither empty nor a number (the file holds names), else that value is an error naming its row.
     */
    private static Values readText(Path file, boolean orNames) throws IOException {
        try (DelimitedText text = DelimitedText.openColumn(file)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected one label per line");
            }
            String header = text.isHeader() ? text.text(0) : null;
            if (header != null && !text.next()) {
                throw new DataException(file + ": only a header line, no labels");
            }
            int firstLine = (int) text.lineNumber();
            DoubleArrayList labels = new DoubleArrayList();
            do {
                requireOneColumn(text);
                if (text.isEmpty(0)) {
                    labels.add(Double.NaN);
                } else if (orNames && !text.isNumber(0)) {
                    return null;
                } else {
                    labels.add(text.doubleAt(0));
                }
            } while (text.next());
            labels.trim();
            return new Values(labels.elements(), firstLine, header);
        }
    }

    private static void requireOneColumn(DelimitedText text) {
        if (text.fieldCount() != 1) {
            throw DataException.atRow(text.file(), text.lineNumber(), text.fieldCount()
                    + " columns; expected one label per row");
        }
    }

    /** The row's one value: trimmed, and unquoted when it is in double quotes ({@code "cat"}, as R writes). */
    private static String value(DelimitedText text) {
        requireOneColumn(text);
        String v = text.text(0);
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1).replace("\"\"", "\"").strip();
        }
        return v;
    }

    /**
     * A text label file in one pass: each row's value as a code into its distinct values, with the line each
     * value first appears on and how often.
     */
    private static Texts readTexts(Path file) throws IOException {
        try (DelimitedText text = DelimitedText.openColumn(file)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected one label per line");
            }
            Texts t = new Texts(text.isHeader());
            do {
                String v = value(text);
                t.add(v, text.lineNumber(), v.isEmpty() || text.isNumber(0));
            } while (text.next());
            return t;
        }
    }

    /** The rows of a text label file, each a code into its distinct values (-1 for an empty one). */
    private static final class Texts {
        /** The first line is not empty and not a number. */
        boolean firstLooksLikeHeader;
        final IntArrayList codes = new IntArrayList();
        final Map<String, Integer> code = new HashMap<>();
        final List<String> distinct = new ArrayList<>();
        final IntArrayList count = new IntArrayList();
        /** The line each distinct value first appears on. */
        final List<Long> firstLine = new ArrayList<>();
        /** The line of the first row below the first line that is neither empty nor a number, or -1. */
        long firstName = -1;

        Texts(boolean firstLooksLikeHeader) {
            this.firstLooksLikeHeader = firstLooksLikeHeader;
        }

        void add(String value, long line, boolean numberOrEmpty) {
            if (codes.isEmpty()) {
                // Quoted, "" and "-1" are not numbers, yet no header.
                firstLooksLikeHeader &= !value.isEmpty() && !ClassNames.isUnlabeledMarker(value);
            } else if (!numberOrEmpty && firstName < 0) {
                firstName = line;
            }
            if (value.isEmpty()) {
                codes.add(-1);
                return;
            }
            Integer k = code.get(value);
            if (k == null) {
                k = distinct.size();
                code.put(value, k);
                distinct.add(value);
                count.add(0);
                firstLine.add(line);
            }
            count.set(k.intValue(), count.getInt(k) + 1);
            codes.add(k);
        }

        /** Numbers when every value below the first line is one (the first may be a header), else names. */
        LabelFile labels(Path file) {
            int skip = firstLooksLikeHeader ? 1 : 0;
            String header = skip == 1 ? distinct.get(codes.getInt(0)) : null;
            if (firstName < 0) {
                if (skip == 1 && codes.size() == 1) {
                    throw new DataException(file + ": only a header line, no labels");
                }
                int[] byCode = new int[distinct.size()];
                for (int k = 0; k < byCode.length; k++) {
                    // The header's value is not a number, and its row is left out.
                    byCode[k] = skip == 1 && k == codes.getInt(0) ? Label.UNLABELED
                            : toLabel(file.toString(), firstLine.get(k), parse(file, firstLine.get(k), distinct.get(k)));
                }
                return new LabelFile(mapped(skip, byCode), ClassNames.NUMBERS, header);
            }
            if (skip == 1 && count.getInt(codes.getInt(0)) > 1) {
                skip = 0;
                header = null;
            }
            List<String> names = new ArrayList<>();
            for (int k = 0; k < distinct.size(); k++) {
                String v = distinct.get(k);
                if ((skip == 1 && k == codes.getInt(0)) || ClassNames.isUnlabeledMarker(v)) {
                    continue;
                }
                String problem = ClassNames.problem(v);
                if (problem != null) {
                    throw DataException.atRow(file.toString(), firstLine.get(k), "label " + DataException.quote(v)
                            + " " + problem);
                }
                names.add(v);
            }
            ClassNames classes = ClassNames.fit(names);
            int[] byCode = new int[distinct.size()];
            for (int k = 0; k < byCode.length; k++) {
                byCode[k] = ClassNames.isUnlabeledMarker(distinct.get(k)) ? Label.UNLABELED
                        : classes.label(distinct.get(k));
            }
            return new LabelFile(mapped(skip, byCode), classes, header);
        }

        private int[] mapped(int skip, int[] byCode) {
            int[] labels = new int[codes.size() - skip];
            for (int i = 0; i < labels.length; i++) {
                int k = codes.getInt(i + skip);
                labels[i] = k < 0 ? Label.UNLABELED : byCode[k];
            }
            return labels;
        }

        /**
         * A value as a number, NaN and infinities as numpy spells them too; one that only looks like one
         * ({@code 1e}, on the first line, which is then no header) is an error naming its row.
         */
        private static double parse(Path file, long line, String v) {
            String t = v.toLowerCase(java.util.Locale.ROOT);
            try {
                return Double.parseDouble(t.endsWith("nan") ? "NaN" : t.endsWith("inf") || t.endsWith("infinity")
                        ? (t.startsWith("-") ? "-Infinity" : "Infinity") : v);
            } catch (NumberFormatException e) {
                throw DataException.atCell(file.toString(), line, 1, DataException.quote(v) + " is not a number");
            }
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
            return new Values(labels, 1, null);
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
