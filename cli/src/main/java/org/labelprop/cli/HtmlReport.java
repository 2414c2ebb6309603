package org.labelprop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.labelprop.core.ClassNames;
import org.labelprop.core.Evaluation;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Label;
import org.labelprop.core.Prediction;

/**
 * The {@code --report} page: one self-contained HTML file, charts as inline SVG, no script and nothing
 * fetched, so it opens offline and can be mailed. It is also well-formed XML (XHTML syntax), so tests read it
 * with an XML parser; each chart's marks carry their values in {@code data-} attributes for the same reason.
 */
final class HtmlReport {
    /** Rows drawn in the projection: enough to see the classes' shapes, few enough for a light page. */
    static final int PROJECTED_ROWS = 2000;
    static final int CONFIDENCE_BINS = 20;
    private static final int WIDTH = 460;
    private static final int HEIGHT = 280;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;
    /** Colours told apart with most colour-vision deficiencies (Okabe and Ito's), then a few more. */
    private static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
        "#F0E442", "#000000", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF"};
    private static final String NO_LABEL = "#BBBBBB";

    /**
     * What the page shows.
     *
     * @param facts name and value lines of the summary table, in order
     * @param names what the labels are called, which the page writes
     * @param given the labels as read (-1 unlabeled)
     * @param residuals the change of each step
     * @param evaluation against --truth, or null
     * @param projection rows x 2 coordinates of {@code projected} rows, or null with {@code noProjection} saying why
     */
    record Content(String title, Map<String, String> facts, Prediction prediction, ClassNames names, int[] given,
                   double[] residuals, Evaluation evaluation, FloatMatrix projection, int[] projected,
                   String noProjection) {
    }

    private HtmlReport() {
    }

    /** Up to {@code max} distinct rows of {@code n}, chosen by {@code seed}, in increasing order. */
    static int[] sample(int n, int max, long seed) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        if (n <= max) {
            return all;
        }
        Random random = new Random(seed);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, max);
        Arrays.sort(chosen);
        return chosen;
    }

    static void write(OutputStream stream, Content c) throws IOException {
        Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        w.write(page(c));
        w.flush();
    }

    static String page(Content c) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>").append(escape(c.title())).append("</title>\n<style>\n")
                .append("body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }\n")
                .append("table.facts td { padding: 1px 12px 1px 0; }\n")
                .append(".panels { display: flex; flex-wrap: wrap; gap: 24px; }\n")
                .append("figure { margin: 0; width: ").append(WIDTH).append("px; }\n")
                .append("figcaption { font-weight: 600; margin-bottom: 4px; }\n")
                .append("svg text { font: 11px sans-serif; fill: #333; }\n")
                .append(".axis { stroke: #888; } .grid { stroke: #eee; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(c.title())).append("</h1>\n")
                .append("<table class=\"facts\">\n");
        c.facts().forEach((name, value) -> b.append("<tr><td>").append(escape(name)).append("</td><td>")
                .append(escape(value)).append("</td></tr>\n"));
        b.append("</table>\n").append(legend(c.prediction(), c.names())).append("<div class=\"panels\">\n");
        b.append(convergence(c.residuals()));
        b.append(classes(c.prediction(), c.names(), c.given()));
        b.append(confidence(c.prediction(), Label.unlabeledRows(c.given())));
        if (c.evaluation() != null) {
            b.append(confusion(c.evaluation(), c.names()));
        }
        b.append(projection(c));
        return b.append("</div>\n</body>\n</html>\n").toString();
    }

    private static String legend(Prediction p, ClassNames names) {
        StringBuilder b = new StringBuilder("<p class=\"legend\">Classes: ");
        for (int c = 0; c < p.classCount(); c++) {
            b.append("<span style=\"color: ").append(colour(c)).append("\">&#9632;</span> ")
                    .append(escape(names.name(p.classes()[c])))
                    .append(c + 1 < p.classCount() ? ", " : "");
        }
        return b.append("; <span style=\"color: ").append(NO_LABEL).append("\">&#9632;</span> no label</p>\n")
                .toString();
    }

    /** Residual per step on a log scale, one decade per grid line. */
    private static String convergence(double[] residuals) {
        StringBuilder b = figure("convergence", "Convergence: change per step (sum |Y_next - Y|, log scale)");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double r : residuals) {
            if (r > 0 && Double.isFinite(r)) {
                lo = Math.min(lo, Math.log10(r));
                hi = Math.max(hi, Math.log10(r));
            }
        }
        if (lo > hi) {
            b.append(note("no step changed anything"));
            return end(b);
        }
        int bottomDecade = (int) Math.floor(lo);
        int topDecade = Math.max((int) Math.ceil(hi), bottomDecade + 1);
        int every = (topDecade - bottomDecade + 7) / 8;
        for (int e = bottomDecade; e <= topDecade; e += every) {
            double y = scale(e, topDecade, bottomDecade, TOP, HEIGHT - BOTTOM);
            b.append(line(LEFT, y, WIDTH - RIGHT, y, "grid"))
                    .append(text(LEFT - 6, y + 4, "end", "1e" + e));
        }
        axes(b, "step");
        int last = Math.max(residuals.length - 1, 1);
        b.append(text(LEFT, HEIGHT - BOTTOM + 16, "middle", "1"))
                .append(text(WIDTH - RIGHT, HEIGHT - BOTTOM + 16, "middle", Integer.toString(residuals.length)));
        StringBuilder points = new StringBuilder();
        int drawn = 0;
        for (int i = 0; i < residuals.length; i++) {
            if (residuals[i] > 0 && Double.isFinite(residuals[i])) {
                points.append(drawn++ == 0 ? "" : " ").append(fmt(scale(i, 0, last, LEFT, WIDTH - RIGHT))).append(',')
                        .append(fmt(scale(Math.log10(residuals[i]), topDecade, bottomDecade, TOP, HEIGHT - BOTTOM)));
            }
        }
        b.append("<polyline class=\"residuals\" data-points=\"").append(drawn).append("\" fill=\"none\" stroke=\"")
                .append(PALETTE[0]).append("\" stroke-width=\"1.5\" points=\"").append(points).append("\"/>\n");
        return end(b);
    }

    /** Each class's share of the labeled rows beside its share of the predicted unlabeled rows. */
    private static String classes(Prediction p, ClassNames names, int[] given) {
        int k = p.classCount();
        long[] labeled = new long[k];
        for (int g : given) {
            if (g != Label.UNLABELED) {
                labeled[Arrays.binarySearch(p.classes(), g)]++;
            }
        }
        long[] predicted = p.classCounts(Label.unlabeledRows(given));
        long labeledTotal = Math.max(1, Arrays.stream(labeled).sum());
        long predictedTotal = Math.max(1, Arrays.stream(predicted).sum());
        double top = 0;
        for (int c = 0; c < k; c++) {
            top = Math.max(top, Math.max((double) labeled[c] / labeledTotal, (double) predicted[c] / predictedTotal));
        }
        top = Math.max(top, (double) predicted[k] / predictedTotal);
        StringBuilder b = figure("classes", "Classes: share of the labeled rows (light) and of the predicted "
                + "unlabeled rows (dark)");
        percentGrid(b, top);
        axes(b, "class");
        int groups = predicted[k] > 0 ? k + 1 : k;
        double slot = (WIDTH - LEFT - RIGHT) / (double) groups;
        for (int c = 0; c < groups; c++) {
            double x = LEFT + c * slot;
            String colour = c < k ? colour(c) : NO_LABEL;
            String name = c < k ? names.name(p.classes()[c]) : "none";
            if (c < k) {
                b.append(bar("bar labeled", name, labeled[c], x + slot * 0.15, slot * 0.35,
                        (double) labeled[c] / labeledTotal / top, colour, 0.4));
            }
            b.append(bar("bar predicted", name, predicted[c], x + slot * 0.5, slot * 0.35,
                    (double) predicted[c] / predictedTotal / top, colour, 1));
            if (groups <= 24) {
                b.append(text(x + slot / 2, HEIGHT - BOTTOM + 14, "middle", name));
            }
        }
        return end(b);
    }

    /** How many unlabeled rows have each confidence, in bins of 1/20. */
    private static String confidence(Prediction p, int[] rows) {
        long[] bins = new long[CONFIDENCE_BINS];
        for (int r : rows) {
            bins[bin(p.confidence()[r])]++;
        }
        long most = Math.max(1, Arrays.stream(bins).max().orElse(1));
        StringBuilder b = figure("confidence", "Confidence of the predicted unlabeled rows");
        for (long t : ticks(most)) {
            double y = scale(t, most, 0, TOP, HEIGHT - BOTTOM);
            b.append(line(LEFT, y, WIDTH - RIGHT, y, "grid")).append(text(LEFT - 6, y + 4, "end", Long.toString(t)));
        }
        axes(b, "confidence");
        double slot = (WIDTH - LEFT - RIGHT) / (double) CONFIDENCE_BINS;
        for (int i = 0; i < CONFIDENCE_BINS; i++) {
            double h = (HEIGHT - BOTTOM - TOP) * (double) bins[i] / most;
            b.append("<rect class=\"bin\" data-from=\"").append(fmt((double) i / CONFIDENCE_BINS))
                    .append("\" data-count=\"").append(bins[i]).append("\" x=\"").append(fmt(LEFT + i * slot + 1))
                    .append("\" y=\"").append(fmt(HEIGHT - BOTTOM - h)).append("\" width=\"").append(fmt(slot - 2))
                    .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(PALETTE[0]).append("\"/>\n");
        }
        for (int i = 0; i <= CONFIDENCE_BINS; i += 5) {
            b.append(text(LEFT + i * slot, HEIGHT - BOTTOM + 14, "middle", fmt((double) i / CONFIDENCE_BINS)));
        }
        return end(b);
    }

    /** The bin of a confidence in [0, 1]; 1 falls in the last. */
    static int bin(float confidence) {
        return Math.max(0, Math.min(CONFIDENCE_BINS - 1, (int) (confidence * CONFIDENCE_BINS)));
    }

    /** Rows: true class; columns: predicted, then none; shaded by the share of the true class's rows. */
    private static String confusion(Evaluation e, ClassNames classNames) {
        int k = e.classCount();
        String[] name = new String[k + 1];
        for (int q = 0; q < k; q++) {
            name[q] = escape(classNames.name(e.classes()[q]));
        }
        name[k] = "none";
        StringBuilder b = figure("confusion", String.format(Locale.ROOT, "Confusion matrix on %d unlabeled rows "
                + "with a true label: accuracy %.2f%%", e.scored(), 100 * e.accuracy()));
        double cell = Math.min((WIDTH - LEFT - RIGHT) / (double) (k + 1), (HEIGHT - BOTTOM - TOP) / (double) k);
        long most = 0;
        for (long n : e.confusion()) {
            most = Math.max(most, n);
        }
        // Counts only where they fit: about 6.5 px per digit of the 11 px font, and a margin.
        boolean numbers = cell >= 6.5 * Long.toString(most).length() + 6;
        boolean names = cell >= 16;
        for (int t = 0; t < k; t++) {
            long rowTotal = 0;
            for (int q = 0; q <= k; q++) {
                rowTotal += e.count(t, q);
            }
            for (int q = 0; q <= k; q++) {
                long n = e.count(t, q);
                double share = rowTotal == 0 ? 0 : (double) n / rowTotal;
                double x = LEFT + q * cell;
                double y = TOP + t * cell;
                b.append("<rect class=\"cell\" data-true=\"").append(name[t]).append("\" data-predicted=\"")
                        .append(name[q]).append("\" data-count=\"")
                        .append(n).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y))
                        .append("\" width=\"").append(fmt(cell)).append("\" height=\"").append(fmt(cell))
                        .append("\" fill=\"").append(PALETTE[0]).append("\" fill-opacity=\"")
                        .append(fmt(0.05 + 0.95 * share)).append("\" stroke=\"#fff\"><title>true ")
                        .append(name[t]).append(", predicted ").append(name[q]).append(": ").append(n)
                        .append("</title></rect>\n");
                if (numbers) {
                    b.append("<text x=\"").append(fmt(x + cell / 2)).append("\" y=\"").append(fmt(y + cell / 2 + 4))
                            .append("\" text-anchor=\"middle\" style=\"fill: ").append(share > 0.5 ? "#fff" : "#222")
                            .append("\">").append(n).append("</text>\n");
                }
            }
            if (names) {
                b.append(text(LEFT - 6, TOP + t * cell + cell / 2 + 4, "end", classNames.name(e.classes()[t])));
            }
        }
        if (names) {
            for (int q = 0; q <= k; q++) {
                b.append(text(LEFT + q * cell + cell / 2, TOP + k * cell + 14, "middle",
                        q < k ? classNames.name(e.classes()[q]) : "none"));
            }
        }
        b.append(text(LEFT, HEIGHT - 6, "start", "rows: true class; columns: predicted (none: no label reached it)"));
        return end(b);
    }

    /** The sampled rows on the first two principal components, coloured by prediction; labeled rows ringed. */
    private static String projection(Content c) {
        if (c.projection() == null) {
            StringBuilder b = figure("projection", "Projection on two principal components");
            b.append(note(c.noProjection()));
            return end(b);
        }
        FloatMatrix xy = c.projection();
        StringBuilder b = figure("projection", "Projection of " + xy.rows() + " rows on their first two principal "
                + "components, coloured by prediction (ringed: labeled)");
        float[] lo = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] hi = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < xy.rows(); i++) {
            for (int a = 0; a < 2; a++) {
                lo[a] = Math.min(lo[a], xy.get(i, a));
                hi[a] = Math.max(hi[a], xy.get(i, a));
            }
        }
        int[] label = c.prediction().label();
        for (int i = 0; i < xy.rows(); i++) {
            int row = c.projected()[i];
            int cls = label[row] == Label.UNLABELED ? -1 : Arrays.binarySearch(c.prediction().classes(), label[row]);
            boolean labeled = c.given()[row] != Label.UNLABELED;
            b.append("<circle class=\"point\" data-row=\"").append(row).append("\" data-label=\"")
                    .append(escape(c.names().name(label[row])))
                    .append("\" cx=\"").append(fmt(scale(xy.get(i, 0), lo[0], hi[0], 8, WIDTH - 8)))
                    .append("\" cy=\"").append(fmt(scale(xy.get(i, 1), hi[1], lo[1], 8, HEIGHT - 8)))
                    .append("\" r=\"").append(labeled ? "3.5" : "2").append("\" fill=\"")
                    .append(cls < 0 ? NO_LABEL : colour(cls)).append(labeled ? "\" stroke=\"#000\"" : "\"")
                    .append("/>\n");
        }
        return end(b);
    }

    private static StringBuilder figure(String id, String caption) {
        return new StringBuilder("<figure id=\"").append(id).append("\">\n<figcaption>").append(escape(caption))
                .append("</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\">\n");
    }

    private static String end(StringBuilder b) {
        return b.append("</svg>\n</figure>\n").toString();
    }

    private static void axes(StringBuilder b, String xName) {
        b.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "axis"))
                .append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "axis"))
                .append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 6, "middle", xName));
    }

    /** Grid lines at round percentages up to {@code top} (a share in (0, 1]). */
    private static void percentGrid(StringBuilder b, double top) {
        double step = top > 0.5 ? 0.2 : top > 0.2 ? 0.1 : top > 0.1 ? 0.05 : 0.02;
        for (double s = 0; s <= top + 1e-9; s += step) {
            double y = scale(s, top, 0, TOP, HEIGHT - BOTTOM);
            b.append(line(LEFT, y, WIDTH - RIGHT, y, "grid"))
                    .append(text(LEFT - 6, y + 4, "end", Math.round(100 * s) + "%"));
        }
    }

    /** Round values (steps of 1, 2 or 5 times a power of ten) from 0 to {@code most}, at most six. */
    private static List<Long> ticks(long most) {
        long step = 1;
        for (long power = 1; most / step > 5; power *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                step = m * power;
                if (most / step <= 5) {
                    break;
                }
            }
        }
        List<Long> t = new java.util.ArrayList<>();
        for (long v = 0; v <= most; v += step) {
            t.add(v);
        }
        return t;
    }

    private static String bar(String kind, String name, long count, double x, double width, double height01,
            String colour, double opacity) {
        double h = (HEIGHT - BOTTOM - TOP) * height01;
        return "<rect class=\"" + kind + "\" data-class=\"" + escape(name) + "\" data-count=\"" + count + "\" x=\"" + fmt(x)
                + "\" y=\"" + fmt(HEIGHT - BOTTOM - h) + "\" width=\"" + fmt(width) + "\" height=\"" + fmt(h)
                + "\" fill=\"" + colour + "\" fill-opacity=\"" + fmt(opacity) + "\"/>\n";
    }

    private static String line(double x1, double y1, double x2, double y2, String kind) {
        return "<line class=\"" + kind + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2)
                + "\" y2=\"" + fmt(y2) + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, String s) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + escape(s)
                + "</text>\n";
    }

    private static String note(String s) {
        return text(WIDTH / 2.0, HEIGHT / 2.0, "middle", s);
    }

    /** v mapped linearly from [from, to] onto [a, b]; the middle of [a, b] when from equals to. */
    private static double scale(double v, double from, double to, double a, double b) {
        return from == to ? (a + b) / 2 : a + (v - from) / (to - from) * (b - a);
    }

    private static String colour(int column) {
        return PALETTE[column % PALETTE.length];
    }

    private static String fmt(double v) {
        // Trailing zeros of the decimals only: 100.00 is 100, 1.50 is 1.5.
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** Text and attribute values as XML needs them: also well-formed for an XML parser. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(Character.isISOControl(ch) && ch != '\n' && ch != '\t' ? '?' : ch);
            }
        }
        return b.toString();
    }
}
