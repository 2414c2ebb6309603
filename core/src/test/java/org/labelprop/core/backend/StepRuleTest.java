package org.labelprop.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.testing.TestData;

/** The step's momentum term against its definition, computed here in double from two plain steps' parts. */
class StepRuleTest {
    @Test
    void momentumBlendsTheStepWithTheIterateBeforeY() {
        int n = 300;
        int c = 4;
        CsrGraph g = TestData.randomGraph(n, 6, 3);
        Random r = new Random(5);
        float[] y = new float[n * c];
        float[] y0 = new float[n * c];
        float[] before = new float[n * c];
        boolean[] clamped = new boolean[n];
        for (int i = 0; i < n * c; i++) {
            y[i] = r.nextFloat();
            before[i] = r.nextFloat();
            y0[i] = r.nextInt(9) == 0 ? 1f : 0f;
        }
        for (int i = 0; i < n; i += 7) {
            clamped[i] = true;
        }
        float m = 1.6f;
        float[] plain = new float[n * c];
        StepRule rule = new StepRule(0.8f, 0.2f, clamped, false);
        rule.apply(n, c, g.rowPtr(), g.col(), g.weight(), y, y0, plain, 1f);
        float[] next = before.clone();
        StepResult got = rule.apply(n, c, g.rowPtr(), g.col(), g.weight(), y, y0, next, m);
        double change = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                int o = i * c + k;
                double want = clamped[i] ? y0[o] : (double) m * plain[o] + (1.0 - m) * before[o];
                assertEquals(want, next[o], 1e-5, "row " + i + " class " + k);
                change += Math.abs(want - y[o]);
            }
        }
        assertEquals(change, got.change(), 1e-4 * change);
    }

    @Test
    void momentumOutOfRangeWithNormalizedRowsOrOnTheFirstStepIsRefused() {
        StepRule spreading = new StepRule(0.9f, 0.1f, null, false);
        assertThrows(IllegalArgumentException.class, () -> new StepRule(1f, 0f, null, true).requireMomentum(1.5f, 3));
        assertThrows(IllegalArgumentException.class, () -> spreading.requireMomentum(2f, 3));
        assertThrows(IllegalArgumentException.class, () -> spreading.requireMomentum(0f, 3));
        assertThrows(IllegalStateException.class, () -> spreading.requireMomentum(1.5f, 0));
        spreading.requireMomentum(1.5f, 1);
        spreading.requireMomentum(1f, 0);
    }
}
