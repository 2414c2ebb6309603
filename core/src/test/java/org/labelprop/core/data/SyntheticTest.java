package org.labelprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticTest {
    @Test
    void gaussianClustersAreReproducibleAndSitAroundTheirCentres() {
        Dataset a = Synthetic.gaussianClusters(2000, 16, 5, 3);
        Dataset b = Synthetic.gaussianClusters(2000, 16, 5, 3);
        assertArrayEquals(a.features().data(), b.features().data());
        assertArrayEquals(a.truth(), b.truth());
        // Rows of one cluster: per-dimension spread about 1.7 * sqrt(4/12) = 0.98 around a shared mean.
        double[] mean = new double[16];
        int count = 0;
        for (int i = 0; i < 2000; i++) {
            if (a.truth()[i] == 2) {
                count++;
                for (int t = 0; t < 16; t++) {
                    mean[t] += a.features().get(i, t);
                }
            }
        }
        double var = 0;
        for (int i = 0; i < 2000; i++) {
            if (a.truth()[i] == 2) {
                for (int t = 0; t < 16; t++) {
                    double dev = a.features().get(i, t) - mean[t] / count;
                    var += dev * dev;
                }
            }
        }
        assertEquals(0.963, var / (count * 16.0), 0.05);
        assertTrue(count > 300 && count < 500, count + " rows in cluster 2");
    }

    @Test
    void curvesGiveEveryClassTheSameNumberOfRows() {
        Dataset d = Synthetic.curves(4, 50, 6, 0.5f, 1);
        assertEquals(200, d.features().rows());
        int[] perClass = new int[4];
        for (int c : d.truth()) {
            perClass[c]++;
        }
        assertArrayEquals(new int[] {50, 50, 50, 50}, perClass);
    }

    @Test
    void blockModelDrawsItsEdgesInsideTheClassAndThenAnywhere() {
        GraphDataset g = Synthetic.stochasticBlockModel(10_001, 10, 4, 1, 17);
        assertEquals(10_001, g.nodes());
        assertEquals(5 * 10_001, g.edges().size());
        int[] src = g.edges().src();
        int[] dst = g.edges().dst();
        int anywhereInside = 0;
        for (int i = 0; i < g.nodes(); i++) {
            assertEquals(i % 10, g.truth()[i]);
            for (int e = 0; e < 5; e++) {
                int at = 5 * i + e;
                assertEquals(i, src[at]);
                assertTrue(dst[at] >= 0 && dst[at] < g.nodes(), "edge " + at + " to " + dst[at]);
                if (e < 4) {
                    assertEquals(g.truth()[i], g.truth()[dst[at]], "edge " + at + " leaves its class");
                } else if (g.truth()[i] == g.truth()[dst[at]]) {
                    anywhereInside++;
                }
            }
        }
        // The fifth edge lands in the node's own class one time in ten.
        assertEquals(1_000, anywhereInside, 100);
        GraphDataset again = Synthetic.stochasticBlockModel(10_001, 10, 4, 1, 17);
        assertArrayEquals(dst, again.edges().dst());
    }
}
