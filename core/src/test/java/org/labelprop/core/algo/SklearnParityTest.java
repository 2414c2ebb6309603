package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;

/**
 * The sklearn preset reproduces scikit-learn 1.2.1's LabelPropagation and LabelSpreading with
 * kernel='knn', n_neighbors=7: distributions written by src/test/resources/sklearn/make_fixture.py.
 */
class SklearnParityTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @Test
    void labelPropagationMatchesScikitLearn() throws IOException {
        PropagationResult r = LabelPropagation.fit(REF, graph(), labels(), LabelPropagation.Options.sklearn(),
                Progress.NONE);
        assertMatches("expected_propagation.csv", r);
    }

    @Test
    void labelSpreadingMatchesScikitLearn() throws IOException {
        PropagationResult r = LabelSpreading.fit(REF, graph(), labels(), LabelSpreading.Options.sklearn(),
                Progress.NONE);
        assertMatches("expected_spreading.csv", r);
    }

    private static CsrGraph graph() throws IOException {
        List<String> rows = lines("features.csv");
        int d = rows.get(0).split(",").length;
        float[] x = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            for (int t = 0; t < d; t++) {
                x[i * d + t] = Float.parseFloat(f[t]);
            }
        }
        return KnnGraph.build(REF, new FloatMatrix(rows.size(), d, x), KnnGraph.Options.sklearn(7), Progress.NONE).graph();
    }

    private static Labels labels() throws IOException {
        return Labels.of(lines("labels.csv").stream().mapToInt(Integer::parseInt).toArray(), "labels.csv");
    }

    private static void assertMatches(String expectedFile, PropagationResult r) throws IOException {
        List<String> rows = lines(expectedFile);
        String header = rows.remove(0);
        assertEquals("# sklearn 1.2.1", header.substring(0, 15));
        assertArrayEquals(new int[] {0, 2, 5}, r.prediction().classes());
        assertEquals(rows.size(), r.prediction().rows());
        int nIter = Integer.parseInt(header.replaceAll(".*n_iter=(\\d+).*", "$1"));
        assertEquals(nIter, r.iterations(), "steps taken");
        for (int i = 0; i < rows.size(); i++) {
            String[] p = rows.get(i).split(",");
            for (int c = 0; c < p.length; c++) {
                assertEquals(Double.parseDouble(p[c]), r.prediction().probability(i, c), 1e-5,
                        "row " + i + " class " + c);
            }
        }
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = SklearnParityTest.class.getResourceAsStream("/sklearn/" + name)) {
            return new java.util.ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }
}
