package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;

/** Both regression methods against their fixed points solved directly. */
class RegressionTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());
    private static final int N = 40;

    private static float[] targets(long seed) {
        Random r = new Random(seed);
        float[] t = new float[N];
        for (int i = 0; i < N; i++) {
            t[i] = i % 7 == 0 ? (float) (10 * r.nextGaussian()) : Float.NaN;
        }
        return t;
    }

    @Test
    void laplaceLearningEqualsTheHarmonicExtension() {
        CsrGraph w = FixedPointTest.connected(N, 3);
        float[] t = targets(3);
        Regression.Result r = Regression.fit(REF, w, t, new Regression.Options(Regression.Method.LAPLACE, 0.99f,
                1e-9, 100_000, true), Progress.NONE);
        assertTrue(r.converged());
        double[][] p = FixedPointTest.dense(GraphNormalization.randomWalk(w, ForkJoinPool.commonPool()));
        int[] u = java.util.stream.IntStream.range(0, N).filter(i -> Float.isNaN(t[i])).toArray();
        double[][] a = new double[u.length][u.length];
        double[][] b = new double[u.length][1];
        for (int x = 0; x < u.length; x++) {
            for (int y = 0; y < u.length; y++) {
                a[x][y] = (x == y ? 1 : 0) - p[u[x]][u[y]];
            }
            for (int j = 0; j < N; j++) {
                b[x][0] += Float.isNaN(t[j]) ? 0 : p[u[x]][j] * t[j];
            }
        }
        double[][] f = FixedPointTest.solve(a, b);
        for (int x = 0; x < u.length; x++) {
            assertEquals(f[x][0], r.value()[u[x]], 1e-4, "row " + u[x]);
            assertTrue(r.reliability()[u[x]] > 0 && r.reliability()[u[x]] <= 1);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(Float.isNaN(t[i]) ? r.value()[i] : t[i], r.value()[i], "known rows are clamped");
        }
    }

    /** On a ring, whose slow modes make momentum engage: plain and momentum steps reach the same values. */
    @Test
    void spreadingIsTheRatioOfTheTwoSpreadColumns() {
        CsrGraph w = FixedPointTest.ring(N);
        float[] t = targets(4);
        float alpha = 0.9f;
        Regression.Options plain = new Regression.Options(Regression.Method.SPREADING, alpha, 1e-9, 100_000, false);
        Regression.Result p = Regression.fit(REF, w, t, plain, Progress.NONE);
        Regression.Result r = Regression.fit(REF, w, t, plain.withMomentum(true), Progress.NONE);
        assertTrue(r.iterations() < p.iterations(), r.iterations() + " momentum steps against " + p.iterations());
        double[][] s = FixedPointTest.dense(GraphNormalization.symmetricNormalized(w, ForkJoinPool.commonPool()));
        double[][] a = new double[N][N];
        double[][] b = new double[N][2];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                a[i][j] = (i == j ? 1 : 0) - alpha * s[i][j];
            }
            if (!Float.isNaN(t[i])) {
                b[i][0] = (1 - alpha) * t[i];
                b[i][1] = 1 - alpha;
            }
        }
        double[][] f = FixedPointTest.solve(a, b);
        for (int i = 0; i < N; i++) {
            assertEquals(f[i][0] / f[i][1], r.value()[i], 1e-3, "row " + i);
            assertEquals(f[i][0] / f[i][1], p.value()[i], 1e-3, "row " + i + ", plain steps");
        }
    }

    @Test
    void badTargetsAreOneClearLine() {
        CsrGraph w = FixedPointTest.connected(N, 3);
        float[] none = new float[N];
        java.util.Arrays.fill(none, Float.NaN);
        assertEquals("targets: no known target among 40 rows", assertThrows(DataException.class,
                () -> Regression.fit(REF, w, none, Regression.Options.defaults(), Progress.NONE)).getMessage());
    }
}
