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
}
