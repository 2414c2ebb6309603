package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FloatMatrixTest {
    /**
     * The exact distance's eight interleaved sums, for every tail length: within a few ulps of the true sum,
     * which BigDecimal gives without rounding, and the instance method is the static definition.
     */
    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 15, 16, 17, 100, 784})
    void exactSquaredDistanceIsTheTrueSumToRounding(int d) {
        Random r = new Random(d);
        FloatMatrix a = new FloatMatrix(2, d, new float[2 * d]);
        for (int t = 0; t < 2 * d; t++) {
            a.data()[t] = (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian()));
        }
        BigDecimal truth = BigDecimal.ZERO;
        for (int t = 0; t < d; t++) {
            BigDecimal u = new BigDecimal(a.get(0, t)).subtract(new BigDecimal(a.get(1, t)));
            truth = truth.add(u.multiply(u));
        }
        double got = FloatMatrix.exactSquaredDistance(a.data(), 0, a.data(), d, d);
        assertEquals(truth.doubleValue(), got, 4 * d * Math.ulp(truth.doubleValue()));
        assertEquals(got, a.squaredDistance(0, a, 1));
    }

    /**
     * Squared norms, four rows at a time and on a pool in blocks, are each row's plain double sum in feature order
     * rounded to float, bit for bit: 1,001 rows are four blocks and a row past the last group of four.
     */
    @Test
    void squaredNormsAreThePlainSumsOnAnyThreads() {
        Random r = new Random(3);
        int n = 1001;
        int d = 13;
        FloatMatrix x = new FloatMatrix(n, d, new float[n * d]);
        for (int t = 0; t < n * d; t++) {
            x.data()[t] = (float) r.nextGaussian();
        }
        float[] plain = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s += (double) x.get(i, t) * x.get(i, t);
            }
            plain[i] = (float) s;
        }
        assertArrayEquals(plain, x.squaredNorms());
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            assertArrayEquals(plain, x.squaredNorms(pool));
        } finally {
            pool.shutdown();
        }
    }
}
