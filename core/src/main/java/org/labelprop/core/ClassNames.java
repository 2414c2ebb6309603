package org.labelprop.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What the class labels of a data set are called, the one place a class label becomes text and text a class
 * label. Either the labels are numbers ({@link #NUMBERS}): the label is the number itself, written as it is, and
 * nothing changes from integer labels; or they are names: the distinct names sorted by Unicode code point (as
 * scikit-learn's {@code LabelEncoder} sorts its {@code classes_}, numpy comparing strings code point by code
 * point) and numbered 0..C-1 in that order, so the algorithms see the labels 0..C-1 and every output writes the
 * name back.
 *
 * <p>A name is text a label file can hold as one value and a CSV field can hold unquoted: not empty, no
 * leading or trailing blank, no comma, tab, double quote or control character, not starting with {@code #} (a
 * comment line), and not a spelling of the number -1 or NaN (those mark unlabeled rows).
 */
public final class ClassNames {
    /** Labels that are numbers: label k is called "k". */
    public static final ClassNames NUMBERS = new ClassNames(null);

    /**
     * Unicode code point order, which for text outside the surrogate range is {@link String#compareTo}'s
     * order; they differ where a character above U+FFFF meets one in U+E000..U+FFFF.
     */
    public static final Comparator<String> ORDER = ClassNames::compareCodePoints;

    /** The most names an error message lists. */
    private static final int LISTED = 10;

    private final String[] names;

    private ClassNames(String[] names) {
        this.names = names;
    }

    /**
     * The names of the distinct values, as {@code LabelEncoder().fit(values).classes_}: sorted by
     * {@link #ORDER}, each once; name k is class label k.
     *
     * @throws IllegalArgumentException when there is no value or a value is not a valid name
     */
    public static ClassNames fit(Collection<String> values) {
        TreeSet<String> sorted = new TreeSet<>(ORDER);
        sorted.addAll(values);
        return of(new ArrayList<>(sorted));
    }

    /**
     * Names given in label order (name k is class label k), as {@link #names()} returns them.
     *
     * @throws IllegalArgumentException when there is none, one is not a valid name or they are not strictly
     *     ascending in {@link #ORDER}
     */
    public static ClassNames of(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("ClassNames: no names");
        }
        String[] a = names.toArray(new String[0]);
        for (int i = 0; i < a.length; i++) {
            String problem = problem(a[i]);
            if (problem != null) {
                throw new IllegalArgumentException("ClassNames: " + DataException.quote(String.valueOf(a[i])) + " "
                        + problem);
            }
            if (i > 0 && ORDER.compare(a[i - 1], a[i]) >= 0) {
                throw new IllegalArgumentException("ClassNames: " + DataException.quote(a[i - 1]) + " and "
                        + DataException.quote(a[i]) + " are not strictly ascending by code point");
            }
        }
        return new ClassNames(a);
    }

    /**
     * Why {@code text} cannot be a class name, as the end of a sentence naming it ("is empty", "holds a
     * comma"), or null when it can.
     */
    public static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return "is empty";
        }
        if (text.charAt(0) <= ' ' || text.charAt(text.length() - 1) <= ' ') {
            return "starts or ends with a blank";
        }
        if (text.charAt(0) == '#') {
            return "starts with '#', which makes a line a comment";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"') {
                return "holds a " + (c == ',' ? "comma" : "double quote") + ", which a CSV field cannot hold unquoted";
            }
            if (Character.isISOControl(c)) {
                return "holds a control character";
            }
        }
        if (isUnlabeledMarker(text)) {
            return "marks an unlabeled row (-1 and NaN do)";
        }
        return null;
    }

    /** Whether a label file's value means "unlabeled" whatever the labels are: -1 or NaN, spelled as numbers are. */
    public static boolean isUnlabeledMarker(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("-nan") || t.equalsIgnoreCase("+nan")) {
            return true;
        }
        if (t.isEmpty() || t.charAt(0) != '-') {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        try {
            return Double.parseDouble(t) == Label.UNLABELED;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the labels are names rather than numbers. */
    public boolean named() {
        return names != null;
    }

    /** The names in label order (name k is label k); empty for {@link #NUMBERS}. */
    public List<String> names() {
        return names == null ? List.of() : List.of(names);
    }

    /** How many names there are; 0 for {@link #NUMBERS}. */
    public int size() {
        return names == null ? 0 : names.length;
    }

    /**
     * A class label as text: its name, or the number itself for {@link #NUMBERS}; {@link Label#UNLABELED} is
     * "-1" for numbers and empty for names (what a label file reads back as unlabeled either way).
     *
     * @throws IllegalArgumentException when the label has no name
     */
    public String name(int label) {
        if (names == null) {
            return Integer.toString(label);
        }
        if (label == Label.UNLABELED) {
            return "";
        }
        if (label < 0 || label >= names.length) {
            throw new IllegalArgumentException("ClassNames: no class label " + label + " among " + names.length
                    + " names");
        }
        return names[label];
    }

    /** {@link #name} of each label. */
    public String[] names(int[] labels) {
        String[] s = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            s[i] = name(labels[i]);
        }
        return s;
    }

    /** The label called {@code name}, or -1 when no class is; only for names ({@link #named()}). */
    public int label(String name) {
        if (names == null) {
            throw new IllegalStateException("ClassNames.NUMBERS: labels are numbers, not names");
        }
        int k = Arrays.binarySearch(names, name, ORDER);
        return k < 0 ? -1 : k;
    }

    /**
     * The classes for an error message: the first ten names, and how many more ("ant, cat, dog"); for
     * {@link #NUMBERS} a note that the labels are numbers.
     */
    public String describe() {
        if (names == null) {
            return "the labels are numbers (class ids)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, names.length); i++) {
            b.append(i == 0 ? "" : ", ").append(DataException.quote(names[i]));
        }
        if (names.length > LISTED) {
            b.append(" and ").append(names.length - LISTED).append(" more");
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassNames other && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return names == null ? "ClassNames.NUMBERS" : "ClassNames" + Arrays.toString(names);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
