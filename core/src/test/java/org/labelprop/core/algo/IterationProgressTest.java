package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.testing.TestData;

/** The iteration reports each step's convergence measure against the tolerance, for a display to show. */
class IterationProgressTest {
    @Test
    void eachStepReportsTheMeasureItsStoppingRuleTested() {
        CsrGraph g = TestData.randomGraph(200, 8, 4);
        Labels labels = Labels.of(TestData.fewLabels(200, 3, 2), "labels");
        List<double[]> steps = new ArrayList<>();
        Progress recording = new Progress() {
            @Override
            public void start(String stage, long total) {
            }

            @Override
            public void advance(long amount) {
                throw new AssertionError("iterations report steps, not units");
            }

            @Override
            public void step(double measure, double target) {
                steps.add(new double[] {measure, target});
            }

            @Override
            public void finish() {
            }
        };
        PropagationResult r = LabelSpreading.fit(new ReferenceBackend(ForkJoinPool.commonPool()), g, labels,
                LabelSpreading.Options.defaults().withTol(1e-4), recording);
        assertTrue(r.converged());
        assertEquals(r.iterations(), steps.size());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(1e-4, steps.get(i)[1]);
            assertEquals(i == steps.size() - 1, steps.get(i)[0] < 1e-4, "step " + i);
        }
    }
}
