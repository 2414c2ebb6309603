package org.labelprop.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;

/**
 * Reads class priors: one {@code label,prior} line per class (comma, tab or semicolon separated, an
 * optional header). Whether they sum to 1 and name the labels' classes is checked where they are used. When
 * the labels are class names, the first column holds names ({@code cat,0.25}), and the first line is a
 * header when its prior is not a number.
 */
public final class ClassPriorReader {
    private ClassPriorReader() {
    }

    /** Prior by original label, in file order. */
    public static Map<Integer, Double> read(Path file) throws IOException {
        return read(file, ClassNames.NUMBERS);
    }

    /**
     * Prior by label, in file order, the labels called by {@code names}: with names, a name that is not one
     * of them is an error naming the file, row and name.
     */
    public static Map<Integer, Double> read(Path file, ClassNames names) throws IOException {
        Map<Integer, Double> priors = new LinkedHashMap<>();
        try (DelimitedText text = DelimitedText.open(file, false)) {
            boolean any = text.next();
            if (any && (names.named() ? text.fieldCount() == 2 && !text.isNumber(1) : text.isHeader())) {
                any = text.next();
            }
            if (!any) {
                throw new DataException(file + ": no priors; expected one label,prior line per class");
            }
            do {
                if (text.fieldCount() != 2) {
                    throw DataException.atRow(text.file(), text.lineNumber(), text.fieldCount()
                            + " columns; expected label,prior");
                }
                int label = names.named() ? named(text, names) : numbered(text);
                if (priors.put(label, text.doubleAt(1)) != null) {
                    throw DataException.atRow(text.file(), text.lineNumber(), "class " + names.name(label)
                            + " is listed twice");
                }
            } while (text.next());
        }
        return priors;
    }

    private static int numbered(DelimitedText text) {
        double label = text.doubleAt(0);
        if (!(label >= 0 && label <= Integer.MAX_VALUE && label == Math.rint(label))) {
            throw DataException.atRow(text.file(), text.lineNumber(), "label " + text.text(0)
                    + " is not a non-negative integer");
        }
        return (int) label;
    }

    private static int named(DelimitedText text, ClassNames names) {
        int label = names.label(text.text(0));
        if (label < 0) {
            throw DataException.atRow(text.file(), text.lineNumber(), "class " + DataException.quote(text.text(0))
                    + " is not one of the labels' classes (" + names.describe() + ")");
        }
        return label;
    }
}
