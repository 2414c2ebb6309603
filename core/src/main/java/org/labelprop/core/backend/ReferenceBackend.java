package org.labelprop.core.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * Plain Java, written for obviousness rather than speed: every fast path is tested against it. Distances
 * accumulate in double over direct differences, not the |x|^2 - 2x.y + |y|^2 expansion, so they carry no
 * cancellation error. Rows are spread over the pool only so tests on real data finish.
 */
public final class ReferenceBackend implements Backend {
    private final ForkJoinPool pool;

    public ReferenceBackend(ForkJoinPool pool) {
        this.pool = pool;
    }

    /** Its searches keep their state in local variables and run their loops in the pool: safe from any thread. */
    @Override
    public boolean concurrentSearches() {
        return true;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public ForkJoinPool workers() {
        return pool;
    }

    @Override
    public String description() {
        return "reference: plain Java, scalar, " + pool.getParallelism() + " threads";
    }

    @Override
    public Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        int q = queries.rows();
        int[] index = new int[FloatMatrix.checkSize(q, k, "neighbour list")];
        float[] dist = new float[index.length];
        progress.start("kNN (reference)", q);
        pool.submit(() -> IntStream.range(0, q).parallel().forEach(i -> {
            TopK top = new TopK(k);
            for (int j = 0; j < base.rows(); j++) {
                if (excludeSelf && j == i) {
                    continue;
                }
                top.offer((float) squaredDistance(queries, i, base, j), j);
            }
            top.drainSorted(index, dist, i * k);
            progress.advance(1);
        })).join();
        progress.finish();
        return new Neighbors(q, k, index, dist);
    }

    /** sum (a_i - b_j)^2 in double: {@link FloatMatrix#squaredDistance}, named here for tests that use the oracle. */
    public static double squaredDistance(FloatMatrix a, int i, FloatMatrix b, int j) {
        return a.squaredDistance(i, b, j);
    }

    @Override
    public Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule) {
        return new ScalarPropagator(graph, start, rule);
    }

    /** The step of {@link StepRule} exactly as documented there ({@link StepRule#apply}). */
    private static final class ScalarPropagator implements Propagator {
        private final CsrGraph g;
        private final int c;
        private final float[] y0;
        private final StepRule rule;
        private float[] y;
        private float[] next;
        private long steps;

        ScalarPropagator(CsrGraph g, PropagationState start, StepRule rule) {
            this.g = g;
            this.c = start.classes();
            this.y0 = start.y0().clone();
            this.y = start.y().clone();
            this.next = new float[y.length];
            this.rule = rule;
        }

        @Override
        public StepResult step(float momentum) {
            rule.requireMomentum(momentum, steps++);
            StepResult r = rule.apply(g.rows(), c, g.rowPtr(), g.col(), g.weight(), y, y0, next, momentum);
            float[] t = y;
            y = next;
            next = t;
            return r;
        }

        @Override
        public void read(float[] out) {
            System.arraycopy(y, 0, out, 0, y.length);
        }

        @Override
        public void close() {
        }
    }
}
