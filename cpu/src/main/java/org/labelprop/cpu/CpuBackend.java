package org.labelprop.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Memory;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.backend.TopK;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The production CPU backend: exact kNN as blocked dot-product tiles (the GEMM formulation
 * |x|^2 - 2 x.y + |y|^2 with precomputed norms, the base packed once into {@link Panels}) with top-k
 * selection fused into the tile loop, so no n x n matrix ever exists; propagation as a row-blocked SpMM fused with the step's update. Work is
 * split over the given ForkJoinPool; the arithmetic is in {@link Kernels}.
 */
public final class CpuBackend implements Backend {
    /** Query rows per task (a multiple of both register blocks' rows, 6 and 3): each task keeps this many top-k heaps. */
    static final int QUERY_BLOCK = 96;
    /** Base rows per tile: 256 rows of 784 floats is about 800 KB, sized to stay in L2 while reused. */
    static final int BASE_BLOCK = 256;
    /** Rows per propagation task; fixed, so residual sums add up in the same order on any thread count. */
    static final int ROW_BLOCK = 4096;

    private final ForkJoinPool pool;
    private final Kernels kernels;

    CpuBackend(ForkJoinPool pool, Kernels kernels) {
        this.pool = pool;
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public ForkJoinPool workers() {
        return pool;
    }

    /** The Vector API's row loops where the Vector API loaded, else the plain ones. */
    @Override
    public RowKernels rowKernels() {
        return kernels instanceof RowKernels r ? r : RowKernels.PLAIN;
    }

    @Override
    public String description() {
        return "cpu: " + kernels.description() + ", " + pool.getParallelism() + " threads";
    }

    @Override
    public Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        int d = base.cols();
        int w = kernels.panelWidth();
        Memory.require(4L * base.rows() * d + 8L * queries.rows() * k,
                "kNN search of " + queries.rows() + " x " + base.rows() + " rows of " + d + " features");
        float[] panels = Panels.pack(base, w);
        float[] q = queries.data();
        float[] bNorm = norms(base);
        float[] qNorm = queries == base ? bNorm : norms(queries);
        int nq = queries.rows();
        int nb = base.rows();
        int baseBlock = roundUp(BASE_BLOCK, w * kernels.panelGroup());
        int[] index = new int[FloatMatrix.checkSize(nq, k, "neighbour list")];
        float[] dist = new float[index.length];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        progress.start("kNN graph (" + kernels.description() + ")", nq);
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int q0 = blk * QUERY_BLOCK;
            int qn = Math.min(QUERY_BLOCK, nq - q0);
            TopK[] tops = new TopK[qn];
            for (int i = 0; i < qn; i++) {
                tops[i] = new TopK(k);
            }
            float[] tile = new float[QUERY_BLOCK * baseBlock];
            for (int b0 = 0; b0 < nb; b0 += baseBlock) {
                int bn = Math.min(baseBlock, nb - b0);
                int pn = Panels.count(bn, w);
                kernels.dotTile(q, q0, qn, d, panels, b0 / w, pn, tile, baseBlock);
                for (int i = 0; i < qn; i++) {
                    kernels.selectRow(tile, i * baseBlock, bn, qNorm[q0 + i], bNorm, b0, excludeSelf ? q0 + i : -1,
                            tops[i]);
                }
            }
            for (int i = 0; i < qn; i++) {
                tops[i].drainSorted(index, dist, (q0 + i) * k);
            }
            progress.advance(qn);
        })).join();
        progress.finish();
        return new Neighbors(nq, k, index, dist);
    }

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    private static float[] norms(FloatMatrix m) {
        int d = m.cols();
        float[] x = m.data();
        float[] out = new float[m.rows()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s += (double) x[i * d + t] * x[i * d + t];
            }
            out[i] = (float) s;
        }
        return out;
    }

    @Override
    public Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule) {
        return new BlockedPropagator(graph, start, rule);
    }

    /**
     * Row blocks over the pool; each row's product, update and residual in one pass over Y. Y is held with
     * rows padded to a multiple of {@link Kernels#classPadding()} classes (zeros in the padding), so the product runs on
     * whole vectors with no per-class tail; with 10 classes a padded row is 64 bytes, one cache line.
     */
    private final class BlockedPropagator implements Propagator {
        private final CsrGraph g;
        private final int c;
        /** Row stride of the padded matrices. */
        private final int s;
        private final float[] y0;
        private final StepRule rule;
        /** Per row block: change and mass, summed in block order so the total is thread-count independent. */
        private final double[] blockChange;
        private final double[] blockMass;
        private float[] y;
        private float[] next;

        BlockedPropagator(CsrGraph g, PropagationState start, StepRule rule) {
            this.g = g;
            this.c = start.classes();
            this.s = roundUp(c, kernels.classPadding());
            Memory.require(3L * 4 * g.rows() * s, "propagation over " + g.rows() + " rows of " + s + " padded classes");
            this.y0 = pad(start.y0());
            this.y = pad(start.y());
            this.next = new float[y.length];
            this.rule = rule;
            this.blockChange = new double[(g.rows() + ROW_BLOCK - 1) / ROW_BLOCK];
            this.blockMass = new double[blockChange.length];
        }

        private float[] pad(float[] m) {
            float[] out = new float[FloatMatrix.checkSize(g.rows(), s, "padded class matrix")];
            for (int i = 0; i < g.rows(); i++) {
                System.arraycopy(m, i * c, out, i * s, c);
            }
            return out;
        }

        @Override
        public StepResult step() {
            pool.submit(() -> IntStream.range(0, blockChange.length).parallel().forEach(this::stepBlock)).join();
            double change = 0;
            double mass = 0;
            for (int b = 0; b < blockChange.length; b++) {
                change += blockChange[b];
                mass += blockMass[b];
            }
            float[] t = y;
            y = next;
            next = t;
            return new StepResult(change, mass);
        }

        private void stepBlock(int blk) {
            int from = blk * ROW_BLOCK;
            int to = Math.min(g.rows(), from + ROW_BLOCK);
            int[] rowPtr = g.rowPtr();
            int[] col = g.col();
            float[] w = g.weight();
            float alpha = rule.alpha();
            float beta = rule.beta();
            float[] acc = new float[s];
            double change = 0;
            double mass = 0;
            for (int i = from; i < to; i++) {
                int o = i * s;
                if (rule.isClamped(i)) {
                    System.arraycopy(y0, o, acc, 0, c);
                } else {
                    kernels.spmmRow(col, w, rowPtr[i], rowPtr[i + 1], y, s, acc);
                    float sum = 0;
                    for (int k = 0; k < c; k++) {
                        acc[k] = alpha * acc[k] + beta * y0[o + k];
                        sum += acc[k];
                    }
                    if (rule.normalizeRows() && sum != 0f) {
                        float inv = 1f / sum;
                        for (int k = 0; k < c; k++) {
                            acc[k] *= inv;
                        }
                    }
                }
                for (int k = 0; k < c; k++) {
                    change += Math.abs(acc[k] - y[o + k]);
                    mass += Math.abs(acc[k]);
                    next[o + k] = acc[k];
                }
            }
            blockChange[blk] = change;
            blockMass[blk] = mass;
        }

        @Override
        public void read(float[] out) {
            for (int i = 0; i < g.rows(); i++) {
                System.arraycopy(y, i * s, out, i * c, c);
            }
        }

        @Override
        public void close() {
        }
    }
}
