package org.labelprop.core.algo;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.DataException;
import org.labelprop.core.Label;
import org.labelprop.core.Memory;
import org.labelprop.core.Parallel;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.Components;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Reordering;

/**
 * The loop shared by every propagation algorithm: iterate the backend's step until the residual meets
 * the tolerance or the limit is reached, then turn Y into distributions, labels and confidences.
 */
final class Iteration {
    private Iteration() {
    }

    /** The stopping parameters every algorithm's options carry. */
    record Stop(double tol, int maxIter, Convergence convergence) {
        /** Exactly {@code steps} steps: no change is below a negative tolerance. */
        static Stop steps(int steps) {
            return new Stop(-1, steps, Convergence.TOTAL_CHANGE);
        }
    }

    /**
     * From this many rows on, the graph is put in breadth-first order before iterating (and Y restored to
     * the caller's order after): Y of 32,768 rows x 10 classes no longer fits a core's L2, and in the new
     * order a row's neighbours mostly sit close by, so gathers reuse cache lines. It costs one pass over the
     * edges and a copy of the graph, against hundreds of steps; {@link Reordering#payingBreadthFirst} skips the copy where
     * the order would not bring neighbours together (random graphs).
     */
    static final int REORDER_MIN_ROWS = 1 << 15;

    static PropagationResult run(Backend backend, CsrGraph operator, CsrGraph original, Labels labels, StepRule rule,
                                 Stop stop, boolean classMassNormalization, Progress progress) {
        return run(backend, operator, original, labels, rule, stop, MomentumSchedule.none(), classMassNormalization,
                progress, operator.rows() >= REORDER_MIN_ROWS);
    }

    static PropagationResult run(Backend backend, CsrGraph operator, CsrGraph original, Labels labels, StepRule rule,
                                 Stop stop, MomentumSchedule momentum, boolean classMassNormalization,
                                 Progress progress) {
        return run(backend, operator, original, labels, rule, stop, momentum, classMassNormalization, progress,
                operator.rows() >= REORDER_MIN_ROWS);
    }

    static PropagationResult run(Backend backend, CsrGraph operator, CsrGraph original, Labels labels, StepRule rule,
                                 Stop stop, MomentumSchedule momentum, boolean classMassNormalization,
                                 Progress progress, boolean reorder) {
        requireRows(operator, labels);
        float[] y0 = labels.oneHot();
        Run r = iterate(backend, operator, labels.classCount(), y0, y0, rule, stop, momentum, progress, reorder,
                true);
        return finish(r.y(), labels, original, r.residuals(), r.converged(), classMassNormalization,
                backend.workers());
    }

    static void requireRows(CsrGraph operator, Labels labels) {
        if (operator.rows() != labels.rows()) {
            throw new DataException("the graph has " + operator.rows() + " rows but the labels " + labels.rows()
                    + "; give one label (or -1) per row");
        }
    }

    /** Y after the iteration, row-major n x c in the caller's row order, and how it went. */
    record Run(float[] y, double[] residuals, boolean converged) {
    }

    /**
     * Iterates {@code Y <- rule(G Y)} from {@code start}, with {@code y0} the rule's prior, until {@code stop}
     * says so; the graph is put in breadth-first order first where that pays ({@link #REORDER_MIN_ROWS}).
     */
    static Run iterate(Backend backend, CsrGraph operator, int c, float[] start, float[] y0, StepRule rule, Stop stop,
                       Progress progress) {
        return iterate(backend, operator, c, start, y0, rule, stop, MomentumSchedule.none(), progress);
    }

    /** As {@link #iterate(Backend, CsrGraph, int, float[], float[], StepRule, Stop, Progress)}, with momentum. */
    static Run iterate(Backend backend, CsrGraph operator, int c, float[] start, float[] y0, StepRule rule, Stop stop,
                       MomentumSchedule momentum, Progress progress) {
        return iterate(backend, operator, c, start, y0, rule, stop, momentum, progress,
                operator.rows() >= REORDER_MIN_ROWS, false);
    }

    /**
     * @param ownsStart whether {@code start} is the caller's to give up: Y is then returned in it, rather than in
     *     a new n x c array (400 MB at 1M rows and 100 classes, whose pages cost as much again to touch)
     */
    private static Run iterate(Backend backend, CsrGraph operator, int c, float[] start, float[] y0, StepRule rule,
                               Stop stop, MomentumSchedule momentum, Progress progress, boolean reorder,
                               boolean ownsStart) {
        int n = operator.rows();
        Memory.require(4L * 4 * n * c, "propagation over " + n + " rows and " + c + " classes");
        ForkJoinPool pool = backend.workers();
        DoubleArrayList residuals = new DoubleArrayList();
        boolean converged = false;
        // Only where it brings neighbours together: a random graph would be copied for nothing.
        int[] order = reorder ? Reordering.payingBreadthFirst(operator) : null;
        boolean permuted = order != null;
        CsrGraph g = permuted ? Reordering.permute(operator, order, pool) : operator;
        float[] s0 = permuted ? Reordering.permuteRows(start, c, order, pool) : start;
        float[] p0 = start == y0 ? s0 : permuted ? Reordering.permuteRows(y0, c, order, pool) : y0;
        StepRule r0 = permuted ? rule.permuted(order) : rule;
        progress.start("propagation", stop.maxIter());
        float[] y;
        try (Propagator p = backend.propagator(g, new PropagationState(n, c, s0, p0), r0)) {
            for (int it = 0; it < stop.maxIter() && !converged; it++) {
                StepResult r = p.step(momentum.next());
                StepResult asPlain = momentum.observe(r);
                residuals.add(r.change());
                converged = stop.convergence().reached(asPlain, stop.tol());
                progress.step(stop.convergence().measure(asPlain), stop.tol());
            }
            // The propagator copied the start when it was built (PropagationState), so Y can go into the
            // permuted start, made here, or into the start the caller gave up, before a new array.
            y = permuted ? s0 : ownsStart ? start : new float[start.length];
            p.read(y);
        }
        if (permuted) {
            y = Reordering.restoreRows(y, c, order, ownsStart ? start : new float[y.length], pool);
        }
        progress.finish();
        return new Run(y, residuals.toDoubleArray(), converged);
    }

    /**
     * Row-normalizes Y (in place), applies class mass normalization if asked, and derives labels and
     * confidences. Each pass takes rows on {@code pool}, every row by the same operations as one loop over
     * them all, so the result does not depend on the thread count.
     */
    static PropagationResult finish(float[] y, Labels labels, CsrGraph graph, double[] residuals, boolean converged,
                                    boolean classMassNormalization, ForkJoinPool pool) {
        int n = labels.rows();
        int c = labels.classCount();
        boolean[] reached = Components.pathToLabel(graph, labels.labeledMask(), pool);
        int unreached = 0;
        for (int i = 0; i < n; i++) {
            if (!reached[i]) {
                unreached++;
            }
        }
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!reached[i]) {
                    java.util.Arrays.fill(y, i * c, (i + 1) * c, 0f);
                }
                ClassMass.normalizeRow(y, i, c);
            }
        });
        if (classMassNormalization) {
            double[] scale = ClassMass.scales(unlabeledMass(y, labels, c, pool), labels.classPriors());
            // The scaled rows are normalized again in the same pass: one read of Y rather than two.
            Parallel.forRows(pool, n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (!labels.isLabeled(i)) {
                        ClassMass.scaleRow(y, i, c, scale);
                    }
                    ClassMass.normalizeRow(y, i, c);
                }
            });
        }
        Prediction prediction = Prediction.of(labels.classes(), y, pool);
        int withoutMass = 0;
        for (int i = 0; i < n; i++) {
            if (prediction.label()[i] == Label.UNLABELED && reached[i]) {
                // A label reaches this row, but none of its mass arrived: too few steps, or weights of 0.
                withoutMass++;
            }
        }
        return new PropagationResult(prediction, residuals.length, converged, residuals, unreached, withoutMass);
    }

    /** Class columns each task of {@link #unlabeledMass} sums: 16 floats, one cache line's worth of a row. */
    private static final int MASS_COLUMNS = 16;

    /**
     * Each class column's sum over the unlabeled rows ({@link ClassMass#scales}), adding the rows in order as a
     * single loop does, so the scales are the same on any thread count. The columns are split in groups over
     * the pool, each group one pass down Y reading about a cache line of each row. (Scaling column by column
     * went down Y once per class: 1.2 s of a 1M-row, 100-class finish.)
     */
    private static double[] unlabeledMass(float[] y, Labels labels, int c, ForkJoinPool pool) {
        int n = labels.rows();
        double[] mass = new double[c];
        Parallel.forRanges(pool, c, MASS_COLUMNS, (k0, k1) -> {
            for (int i = 0; i < n; i++) {
                if (!labels.isLabeled(i)) {
                    for (int k = k0; k < k1; k++) {
                        mass[k] += y[i * c + k];
                    }
                }
            }
        });
        return mass;
    }
}
