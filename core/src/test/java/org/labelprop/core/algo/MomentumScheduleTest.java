package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.labelprop.core.backend.StepResult;

/** The schedule's decisions on made-up sequences of step changes, against what its rules say by hand. */
class MomentumScheduleTest {
    private static final float ALPHA = 0.99f;
    private static final float M = MomentumSchedule.optimal(ALPHA);

    @Test
    void fastPlainConvergenceNeverTakesMomentum() {
        MomentumSchedule s = MomentumSchedule.forSpreading(ALPHA, true);
        double change = 1;
        for (int step = 0; step < 100; step++) {
            assertEquals(1f, s.next(), "step " + step);
            s.observe(new StepResult(change, 10));
            change *= 0.5; // below sqrt(M - 1) = 0.868
        }
    }

    @Test
    void slowPlainConvergenceTurnsMomentumOnAfterTheWindowThenOffAfterAStall() {
        MomentumSchedule s = MomentumSchedule.forSpreading(ALPHA, true);
        double change = 1;
        // Rate 0.99: on once WINDOW + 1 changes give a rate over the window.
        for (int step = 0; step <= MomentumSchedule.WINDOW; step++) {
            assertEquals(1f, s.next(), "step " + step);
            s.observe(new StepResult(change, 10));
            change *= 0.99;
        }
        assertEquals(M, s.next());
        // Momentum steps whose change keeps falling stay momentum steps; the change a convergence test reads is
        // the bound (D_t + (M - 1) D_t-1) / M.
        double before = change / 0.99;
        StepResult asPlain = s.observe(new StepResult(change, 10));
        assertEquals((change + (M - 1) * before) / M, asPlain.change(), 1e-12);
        assertEquals(10, asPlain.mass());
        double lowest = change;
        for (int step = 0; step < 30; step++) {
            change *= 0.9;
            s.observe(new StepResult(change, 10));
            lowest = change;
            assertEquals(M, s.next());
        }
        // A floor: STALL steps without a new low, then plain steps for good.
        for (int step = 0; step < MomentumSchedule.STALL; step++) {
            assertEquals(M, s.next(), "stalled step " + step);
            s.observe(new StepResult(lowest * 2, 10));
        }
        for (int step = 0; step < 50; step++) {
            assertEquals(1f, s.next());
            s.observe(new StepResult(1.0, 10));
        }
    }

    @Test
    void notSymmetricOrSwitchedOffMeansPlainSteps() {
        for (MomentumSchedule s : new MomentumSchedule[] {MomentumSchedule.forSpreading(ALPHA, false),
                MomentumSchedule.none(), LabelSpreading.Options.defaults().withMomentum(false).schedule(true)}) {
            double change = 1;
            for (int step = 0; step < 50; step++) {
                assertEquals(1f, s.next());
                StepResult r = new StepResult(change, 3);
                assertEquals(r, s.observe(r));
                change *= 0.999;
            }
        }
    }
}
