package org.labelprop.bench;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.graph.CsrGraph;

/**
 * Label spreading with the defaults, timed whole and per step, the step's rate set against the triad
 * bandwidth, and its accuracy on the hidden rows.
 */
final class SpreadingStage {
    private SpreadingStage() {
    }

    /** @return seconds per step, over the steps alone */
    static double run(Backend backend, String scenario, CsrGraph graph, int[] labels, int[] truth, double triadGBs,
                      BenchReport report) {
        long t0 = System.nanoTime();
        StepClock clock = new StepClock(t0);
        PropagationResult r = LabelSpreading.fit(backend, graph, Labels.of(labels, "labels"),
                LabelSpreading.Options.defaults(), clock);
        double s = BenchReport.secondsSince(t0);
        // Bytes per step by the count: CSR (12 per edge, 4 per row), then Y read, Y0 read, Y written.
        double bytesPerStep = 12.0 * graph.edges() + 4.0 * graph.rows() + 12.0 * graph.rows() * r.prediction().classCount();
        double perStep = clock.secondsPerStep();
        double gbs = bytesPerStep / perStep / 1e9;
        double accuracy = r.prediction().accuracy(truth, LabelSplit.hidden(labels));
        report.record(scenario, "spreading_steps", r.iterations());
        report.record(scenario, "step_ms", perStep * 1e3);
        report.record(scenario, "step_GBs", gbs);
        report.record(scenario, "accuracy", accuracy);
        // A GPU's steps move device memory, so the host's triad is no yardstick for them.
        String limit = backend.name().equals("cuda") ? "device memory"
                : String.format("%.0f%% of triad", 100 * gbs / triadGBs);
        report.stage(scenario, "label spreading", s, String.format("%d steps, %.2f ms/step, %.1f GB/s (%s); %.2f s "
                + "outside the steps: %s", r.iterations(), perStep * 1e3, gbs, limit, s - perStep * r.iterations(),
                clock.phases(System.nanoTime())));
        report.figure("accuracy on hidden rows", String.format("%9.2f%%", 100 * accuracy));
        return perStep;
    }

    /**
     * Times the propagation stage's steps alone: the median of the steps' times after the first, so graph
     * normalization, reordering, uploads, the final read and the steps that ran before the JIT compiled the
     * step stay out of the per-step figure (they show in the time outside the steps); and the phases around
     * them (see {@link #phases}). The median rather than the mean since momentum cut the steps to under a
     * hundred: the mean over them carried about 0.2 s of compilation, 2 ms a step.
     */
    private static final class StepClock implements Progress {
        private final long fitStart;
        private boolean propagating;
        private long propagationStart;
        private long propagationEnd;
        private long first;
        private long last;
        private long steps;
        private final LongArrayList ends = new LongArrayList();

        StepClock(long fitStart) {
            this.fitStart = fitStart;
        }

        @Override
        public synchronized void start(String stage, long total) {
            propagating = stage.equals("propagation");
            if (propagating) {
                propagationStart = System.nanoTime();
            }
        }

        @Override
        public synchronized void advance(long amount) {
            if (propagating) {
                last = System.nanoTime();
                if (steps == 0) {
                    first = last;
                }
                steps += amount;
                ends.add(last);
            }
        }

        @Override
        public synchronized void finish() {
            if (propagating) {
                propagationEnd = System.nanoTime();
            }
            propagating = false;
        }

        /**
         * Where the time outside the steps went: before the propagation stage (normalization, prior, reordering),
         * from its start to the first step's end (the propagator's set-up: uploads, padding; and one step),
         * from the last step to the stage's end (reading Y back, restoring the row order), and after it
         * (unreached rows, normalization, class mass, labels).
         */
        synchronized String phases(long fitEnd) {
            return String.format("prepare %.2f s, set up + first step %.2f s, read back %.2f s, finish %.2f s",
                    (propagationStart - fitStart) / 1e9, (first - propagationStart) / 1e9,
                    (propagationEnd - last) / 1e9, (fitEnd - propagationEnd) / 1e9);
        }

        /** The median time of the steps after the first, in seconds; NaN with fewer than two steps. */
        synchronized double secondsPerStep() {
            if (ends.size() < 2) {
                return Double.NaN;
            }
            long[] d = new long[ends.size() - 1];
            for (int i = 0; i < d.length; i++) {
                d[i] = ends.getLong(i + 1) - ends.getLong(i);
            }
            java.util.Arrays.sort(d);
            return (d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2.0) / 1e9;
        }
    }
}
