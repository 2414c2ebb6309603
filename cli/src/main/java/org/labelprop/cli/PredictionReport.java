package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.labelprop.core.ClassNames;
import org.labelprop.core.Evaluation;
import org.labelprop.core.Prediction;

/** What a run prints about its prediction: class counts and confidence, and the evaluation against --truth. */
final class PredictionReport {
    private PredictionReport() {
    }

    /** Predicted class counts and the confidence's min, median and mean over {@code rows}. */
    static void printSummary(PrintWriter err, Prediction p, int[] rows, String which, ClassNames names) {
        long[] counts = p.classCounts(rows);
        StringBuilder line = new StringBuilder("labelprop: predicted classes of " + rows.length + " " + which + ":");
        for (int c = 0; c < p.classCount(); c++) {
            line.append(c == 0 ? " " : ", ").append(names.name(p.classes()[c])).append(": ").append(counts[c]);
        }
        if (counts[p.classCount()] > 0) {
            line.append(", no label: ").append(counts[p.classCount()]);
        }
        err.println(line);
        Prediction.ConfidenceSummary s = p.confidenceSummary(rows);
        err.printf(Locale.ROOT, "labelprop: confidence min %.3f, median %.3f, mean %.3f%n", s.min(), s.median(),
                s.mean());
    }

    /** Accuracy, each class's precision, recall and F1, and the confusion matrix. */
    static void printEvaluation(PrintWriter err, Evaluation e, String truthFile, ClassNames names) {
        err.printf(Locale.ROOT, "labelprop: evaluation against %s on %d unlabeled rows with a true label: "
                + "accuracy %.2f%%%n", truthFile, e.scored(), 100 * e.accuracy());
        if (e.scored() == 0) {
            return;
        }
        int c = e.classCount();
        String[] classes = names.names(e.classes());
        int width = 6;
        for (String label : classes) {
            width = Math.max(width, label.length() + 1);
        }
        for (long n : e.confusion()) {
            width = Math.max(width, Long.toString(n).length() + 1);
        }
        err.printf("  %-" + width + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "rows");
        for (int t = 0; t < c; t++) {
            long rows = 0;
            for (int q = 0; q <= c; q++) {
                rows += e.count(t, q);
            }
            err.printf(Locale.ROOT, "  %-" + width + "s %9.4f %9.4f %9.4f %9d%n", classes[t], e.precision(t),
                    e.recall(t), e.f1(t), rows);
        }
        err.println("  confusion matrix (rows: true class, columns: predicted; none: no label reached the row):");
        StringBuilder head = new StringBuilder(String.format("  %" + width + "s", ""));
        for (String label : classes) {
            head.append(String.format("%" + width + "s", label));
        }
        err.println(head.append(String.format("%" + width + "s", "none")));
        for (int t = 0; t < c; t++) {
            StringBuilder row = new StringBuilder(String.format("  %" + width + "s", classes[t]));
            for (int q = 0; q <= c; q++) {
                row.append(String.format("%" + width + "d", e.count(t, q)));
            }
            err.println(row);
        }
    }
}
