package org.labelprop.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.labelprop.core.DataException;

/**
 * Reads class priors: one {@code label,prior} line per class (comma, tab or semicolon separated, an
 * optional header). Whether they sum to 1 and name the labels' classes is checked where they are used.
 */
public final class ClassPriorReader {
    private ClassPriorReader() {
    }

    /** Prior by original label, in file order. */
    public static Map<Integer, Double> read(Path file) throws IOException {
        Map<Integer, Double> priors = new LinkedHashMap<>();
        try (DelimitedText text = DelimitedText.open(file, false)) {
            boolean any = text.next();
            if (any && text.isHeader()) {
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
                double label = text.doubleAt(0);
                if (!(label >= 0 && label <= Integer.MAX_VALUE && label == Math.rint(label))) {
                    throw DataException.atRow(text.file(), text.lineNumber(), "label " + text.text(0)
                            + " is not a non-negative integer");
                }
                if (priors.put((int) label, text.doubleAt(1)) != null) {
                    throw DataException.atRow(text.file(), text.lineNumber(), "class " + (int) label
                            + " is listed twice");
                }
            } while (text.next());
        }
        return priors;
    }
}
