package org.labelprop.core.io;

import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.Label;

/**
 * Labels as {@link LabelReader#readNamed} read them: one class label per row ({@link Label#UNLABELED} for
 * none) and what the labels are called.
 *
 * @param labels one label per row: the number itself for {@link ClassNames#NUMBERS}, else the name's index
 *     in {@code names}
 * @param names what the labels are called
 * @param header the first line when it was read as a header, else null; a names file's first line that
 *     occurs only once is taken for a header, which a row count that is one short then explains
 */
public record LabelFile(int[] labels, ClassNames names, String header) {
    public LabelFile {
        if (names.named()) {
            for (int label : labels) {
                if (label < Label.UNLABELED || label >= names.size()) {
                    throw new IllegalArgumentException("LabelFile: label " + label + " has no name among "
                            + names.size());
                }
            }
        }
    }

    /**
     * For an error about another input with {@code otherRows} rows, where these labels have a different count:
     * when that is one more and the first line of a names file was taken for a header, a note saying so (to
     * append to the message), else empty.
     */
    public String rowCountHint(int otherRows) {
        return header != null && names.named() && otherRows == labels.length + 1
                ? " (its first line " + DataException.quote(header) + " was read as a header, being a name found "
                        + "nowhere else in it: put a header line such as 'label' above the labels)"
                : "";
    }
}
