package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.cli.CliTest.Run;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** --report parsed as XML: every chart's marks against the predictions the same run wrote. */
class HtmlReportTest {
    private static final int ROWS = BlobFiles.ROWS;
    private static final int CLASSES = BlobFiles.CLASSES;

    @TempDir
    Path dir;

    private BlobFiles files;

    @BeforeEach
    void write() throws IOException {
        files = BlobFiles.write(dir, "truth & <more>.csv");
    }

    private static Document parse(Path html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // Nothing to fetch: a DOCTYPE without a DTD, and the page must not name one.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(html.toFile());
    }

    /** The elements named {@code tag} whose class is {@code kind}. */
    private static List<Element> marks(Document d, String tag, String kind) {
        NodeList all = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(kind)) {
                out.add(e);
            }
        }
        return out;
    }

    private static long count(Element e) {
        return Long.parseLong(e.getAttribute("data-count"));
    }

    @Test
    void everyChartMatchesThePredictions() throws Exception {
        Path out = dir.resolve("p.csv");
        Path html = dir.resolve("report.html");
        Run r = CliTest.run(files.args("propagate", "--out", out.toString(), "--truth", files.truth().toString(),
                "--report", html.toString(), "--k", "6", "--backend", "reference"));
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(html);
        // The only addresses are the XML namespaces, which are names, never fetched.
        assertFalse(text.replace("http://www.w3.org/", "").contains("://"), "nothing fetched from the network");
        assertFalse(text.contains("<script"));
        Document d = parse(html);

        List<String[]> rows = Files.readAllLines(out).stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toList());
        long[] labeled = new long[CLASSES];
        long[] predicted = new long[CLASSES];
        long[] bins = new long[HtmlReport.CONFIDENCE_BINS];
        long[][] confusion = new long[CLASSES][CLASSES + 1];
        for (int i = 0; i < ROWS; i++) {
            int label = Integer.parseInt(rows.get(i)[1]);
            if (files.given()[i] >= 0) {
                labeled[files.given()[i]]++;
            } else {
                predicted[label]++;
                bins[HtmlReport.bin(Float.parseFloat(rows.get(i)[2]))]++;
                confusion[BlobFiles.trueClass(i)][label]++;
            }
        }

        List<Element> labeledBars = marks(d, "rect", "bar labeled");
        List<Element> predictedBars = marks(d, "rect", "bar predicted");
        assertEquals(CLASSES, labeledBars.size());
        assertEquals(CLASSES, predictedBars.size(), "no 'none' bar: every row got a label");
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(Integer.toString(c), predictedBars.get(c).getAttribute("data-class"));
            assertEquals(labeled[c], count(labeledBars.get(c)));
            assertEquals(predicted[c], count(predictedBars.get(c)));
        }

        List<Element> binRects = marks(d, "rect", "bin");
        assertEquals(HtmlReport.CONFIDENCE_BINS, binRects.size());
        for (int b = 0; b < bins.length; b++) {
            assertEquals(bins[b], count(binRects.get(b)), "bin " + b);
        }

        List<Element> cells = marks(d, "rect", "cell");
        assertEquals(CLASSES * (CLASSES + 1), cells.size());
        for (Element cell : cells) {
            int t = Integer.parseInt(cell.getAttribute("data-true"));
            String q = cell.getAttribute("data-predicted");
            assertEquals(q.equals("none") ? 0 : confusion[t][Integer.parseInt(q)], count(cell), t + " as " + q);
        }

        Matcher iterations = Pattern.compile("converged after (\\d+) iterations").matcher(r.err());
        assertTrue(iterations.find(), r.err());
        List<Element> curve = marks(d, "polyline", "residuals");
        assertEquals(1, curve.size());
        int steps = Integer.parseInt(iterations.group(1));
        assertEquals(steps, Integer.parseInt(curve.get(0).getAttribute("data-points")));
        assertEquals(steps, curve.get(0).getAttribute("points").split(" ").length);

        List<Element> points = marks(d, "circle", "point");
        assertEquals(ROWS, points.size(), "fewer rows than the sample: all of them");
        for (Element p : points) {
            int row = Integer.parseInt(p.getAttribute("data-row"));
            assertEquals(rows.get(row)[1], p.getAttribute("data-label"), "row " + row);
        }
        assertTrue(text.contains("truth &amp; &lt;more&gt;.csv"), "file names are escaped");
    }

    @Test
    void withoutTruthOrFeaturesThoseChartsAreLeftOutOrExplained() throws Exception {
        Path edges = Files.writeString(dir.resolve("e.csv"), java.util.stream.IntStream.range(0, ROWS - 1)
                .mapToObj(i -> i + "," + (i + 1)).collect(Collectors.joining("\n", "", "\n")));
        Path html = dir.resolve("report.html");
        Run r = CliTest.run("propagate", "--edges", edges.toString(), "--labels", files.labels().toString(), "--out",
                dir.resolve("p.csv").toString(), "--report", html.toString(), "--backend", "reference");
        assertEquals(0, r.code(), r.err());
        Document d = parse(html);
        assertEquals(0, marks(d, "rect", "cell").size());
        assertEquals(0, marks(d, "circle", "point").size());
        assertTrue(Files.readString(html).contains("no features: the graph was given"));
    }

    @Test
    void theSampleIsSeededDistinctAndOrdered() {
        int[] a = HtmlReport.sample(10_000, 2000, 42);
        assertEquals(2000, a.length);
        assertArrayEquals(a, HtmlReport.sample(10_000, 2000, 42));
        assertFalse(java.util.Arrays.equals(a, HtmlReport.sample(10_000, 2000, 43)));
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i]);
        }
        assertTrue(a[a.length - 1] > 5000, "drawn from all rows, not the first ones");
    }

    @Test
    void regressionHasNoReport() {
        Run r = CliTest.run(files.args("propagate", "--out", dir.resolve("p.csv").toString(), "--task", "regression",
                "--report", dir.resolve("r.html").toString()));
        assertEquals(Main.USAGE_ERROR, r.code(), r.err());
        assertTrue(r.err().contains("--report"), r.err());
    }
}
