package org.labelprop.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * Compares a backend's propagation steps with the reference's on a random graph: the rules the algorithms
 * use (propagation: clamped and normalized; spreading: alpha 0.9, beta 0.1; Poisson: alpha 1, beta 1;
 * clamped without normalizing, as Laplace learning), six steps, the last four with momentum where the rule
 * allows it, the change and mass of every step and Y at the end, all relative to the scale of the values.
 */
public final class PropagationCheck {
    private PropagationCheck() {
    }

    /** Makes the propagator under test: a backend's own, or one of its variants. */
    @FunctionalInterface
    public interface Factory {
        Propagator make(CsrGraph graph, PropagationState start, StepRule rule);
    }

    /** @param tol relative tolerance */
    public static void assertMatchesReference(Backend reference, int n, int classes, Factory propagator,
                                              double tol) {
        CsrGraph g = TestData.randomGraph(n, 12, classes);
        Random r = new Random(classes);
        float[] y0 = new float[n * classes];
        float[] y = new float[n * classes];
        boolean[] clamped = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (r.nextInt(20) == 0) {
                clamped[i] = true;
                y0[i * classes + r.nextInt(classes)] = 1f;
            }
            for (int c = 0; c < classes; c++) {
                y[i * classes + c] = r.nextFloat();
            }
        }
        PropagationState start = new PropagationState(n, classes, y, y0);
        for (StepRule rule : new StepRule[] {new StepRule(1f, 0f, clamped, true), new StepRule(0.9f, 0.1f, null, false),
                new StepRule(1f, 1f, null, false), new StepRule(1f, 0f, clamped, false)}) {
            // Plain steps, then momentum steps (the rules that allow them): 1.6 as spreading at alpha 0.9 takes.
            float momentum = rule.normalizeRows() ? 1f : 1.6f;
            try (Propagator want = reference.propagator(g, start, rule); Propagator got = propagator.make(g, start, rule)) {
                for (int step = 0; step < 6; step++) {
                    float m = step < 2 ? 1f : momentum;
                    StepResult rw = want.step(m);
                    StepResult rg = got.step(m);
                    // Relative to the mass: with one class a normalized step changes Y only by rounding.
                    double scale = Math.max(1, rw.mass());
                    assertEquals(rw.change(), rg.change(), tol * scale, "change at step " + step);
                    assertEquals(rw.mass(), rg.mass(), tol * scale, "mass at step " + step);
                }
                float[] a = new float[n * classes];
                float[] b = new float[n * classes];
                want.read(a);
                got.read(b);
                for (int i = 0; i < a.length; i++) {
                    // Relative: unnormalized rules let values grow past 1.
                    assertEquals(a[i], b[i], tol * Math.max(1f, Math.abs(a[i])), "entry " + i);
                }
            }
        }
    }
}
