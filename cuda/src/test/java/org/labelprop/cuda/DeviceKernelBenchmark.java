package org.labelprop.cuda;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jcuda.Pointer;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.BackendUnavailableException;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Reordering;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.testing.TestData;

/**
 * The GPU kernels against the card's limits and against the vendor libraries, in one JVM and one run
 * (issue 13's targets), printing one line per figure. Kernels are timed with a synchronize after each
 * repetition (median of the repetitions after one warm-up); each figure is checked against a second path
 * in the same run before it is printed. Needs a GPU; run by bench/scripts/gpu-check.sh:
 * <pre>bash .device/run.sh java org.labelprop.cuda.DeviceKernelBenchmark [sections]</pre>
 * Sections (all by default): limits, tiles, knn, step (with the breadth-first order's effect).
 */
public final class DeviceKernelBenchmark {
    private static final int TF32_MATH = 3; // CUBLAS_TF32_TENSOR_OP_MATH
    private static final int DEFAULT_MATH = 0;

    private final CudaDevice dev;
    private double dramGbs;
    private double l2Gbs;
    private double gatherSectorsPerS;

    private DeviceKernelBenchmark(CudaDevice dev) {
        this.dev = dev;
    }

    public static void main(String[] args) {
        CudaDevice dev;
        try {
            dev = CudaDevice.open(0);
        } catch (BackendUnavailableException e) {
            System.out.println("no GPU here: " + e.getMessage());
            return;
        }
        String sections = args.length == 0 ? "limits,tiles,knn,step" : String.join(",", args);
        System.out.println(dev.description());
        DeviceKernelBenchmark b = new DeviceKernelBenchmark(dev);
        synchronized (dev) {
            dev.makeCurrent();
            if (sections.contains("limits") || sections.contains("step")) {
                b.limits();
            }
            if (sections.contains("tiles")) {
                b.tiles(128);
                b.tiles(784);
            }
            if (sections.contains("knn")) {
                b.knn(20_000, 784, 20_000, 3);
                b.knn(1_000_000, 128, 100_000, 1);
            }
            if (sections.contains("step")) {
                b.step(10);
                b.step(16);
                b.reordering(100);
            }
        }
        dev.close();
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    /** Median milliseconds of {@code reps} runs after one warm-up, each ended by a synchronize. */
    private double ms(Runnable work, int reps) {
        work.run();
        dev.synchronize("warm-up");
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            work.run();
            dev.synchronize("timed run");
            t[r] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private DeviceBuffer upload(float[] data, String what) {
        DeviceBuffer b = dev.alloc(4L * data.length, what);
        b.upload(Pointer.to(data), 4L * data.length);
        return b;
    }

    private static float[] random(long n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[Math.toIntExact(n)];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return x;
    }

    /**
     * Read bandwidth from device memory (a 4 GiB buffer) and from L2 (16 MiB read 64 times past L1; the
     * same through L1 for comparison), and the rate of scattered 32-byte sectors from a 40 MB buffer
     * (a 1M x 10 Y) past L1, the ceiling of a step's gathers.
     */
    private void limits() {
        int blocks = 132 * 8;
        int threads = blocks * 256;
        try (DeviceBuffer out = dev.alloc(4L * threads, "probe output")) {
            long big = 1L << 32;
            try (DeviceBuffer buf = dev.alloc(big, "DRAM probe")) {
                buf.fill32(0, big / 4);
                double t = ms(() -> dev.launch("read_probe_f32", blocks, 1, 256,
                        new KernelArgs().ptr(buf).i64(big / 16).i32(1).i32(1).ptr(out)), 5);
                dramGbs = big / t / 1e6;
            }
            long small = 16L << 20;
            int passes = 64;
            double l1Gbs;
            try (DeviceBuffer buf = dev.alloc(small, "L2 probe")) {
                buf.fill32(0, small / 4);
                double t = ms(() -> dev.launch("read_probe_f32", blocks, 1, 256,
                        new KernelArgs().ptr(buf).i64(small / 16).i32(passes).i32(1).ptr(out)), 5);
                l2Gbs = small * passes / t / 1e6;
                double t1 = ms(() -> dev.launch("read_probe_f32", blocks, 1, 256,
                        new KernelArgs().ptr(buf).i64(small / 16).i32(passes).i32(0).ptr(out)), 5);
                l1Gbs = small * passes / t1 / 1e6;
            }
            long y = 40_000_000L;
            int reads = 256;
            try (DeviceBuffer buf = dev.alloc(y, "gather probe")) {
                buf.fill32(0, y / 4);
                double t = ms(() -> dev.launch("gather_probe_f32", blocks, 1, 256,
                        new KernelArgs().ptr(buf).i32((int) (y / 32)).i32(reads).ptr(out)), 5);
                gatherSectorsPerS = (double) threads * reads / t * 1e3;
            }
            say("limits: read bandwidth DRAM %.0f GB/s (4 GiB once), L2 %.0f GB/s (16 MiB x 64 past L1; through L1 "
                    + "%.0f GB/s), scattered 32-byte sectors from a 40 MB buffer past L1 %.2f G/s (%.0f GB/s)",
                    dramGbs, l2Gbs, l1Gbs, gatherSectorsPerS / 1e9, gatherSectorsPerS * 32 / 1e9);
        }
    }

    /** The kNN tile shape (4096 query rows x 16384 base rows x d): SGEMM against the own kernels. */
    private void tiles(int d) {
        int qn = DeviceKnn.QUERY_BLOCK;
        int bn = DeviceKnn.BASE_TILE;
        double flop = 2.0 * qn * bn * d;
        Cublas blas = dev.cublas();
        try (DeviceBuffer q = upload(random((long) qn * d, 1), "queries");
             DeviceBuffer b = upload(random((long) bn * d, 2), "base");
             DeviceBuffer tile = dev.alloc(4L * qn * bn, "tile");
             DeviceBuffer tile2 = dev.alloc(4L * qn * bn, "tile 2")) {
            Runnable own128 = () -> dev.launch("dot_tile128_f32", bn / 128, qn / 128, 256,
                    new KernelArgs().ptr(q).i32(qn).ptr(b).i32(bn).i32(d).ptr(tile2).i64(bn));
            double t128 = ms(own128, 10);
            if (blas == null) {
                say("tiles d=%d: own 128x128 %.3f ms (%.1f TFLOP/s); no cuBLAS", d, t128, flop / t128 / 1e9);
                return;
            }
            Runnable sgemm = () -> blas.sgemm(Cublas.OP_T, Cublas.OP_N, bn, qn, d, 1f, b.ptr, d, q.ptr, d, 0f, tile.ptr, bn);
            double tBlas = ms(sgemm, 10);
            own128.run();
            double err128 = maxRelativeDifference(tile, tile2, 8L * bn);
            blas.setMathMode(TF32_MATH);
            double tTf32;
            try {
                tTf32 = ms(sgemm, 10);
            } finally {
                blas.setMathMode(DEFAULT_MATH);
            }
            say("tiles d=%d (%d x %d): cuBLAS SGEMM %.3f ms (%.1f TFLOP/s, %s); own 128x128 %.3f ms (%.1f TFLOP/s, "
                            + "%.2f of SGEMM, max rel diff %.1e); "
                            + "cuBLAS TF32 %.3f ms (%.1f TFLOP/s, %.2fx SGEMM)",
                    d, qn, bn, tBlas, flop / tBlas / 1e9, blas.binding(), t128, flop / t128 / 1e9, tBlas / t128, err128,
                    tTf32, flop / tTf32 / 1e9, tBlas / tTf32);
        }
    }

    /** Largest |a - b| / max(1, |a|) over the first n entries of two device arrays. */
    private static double maxRelativeDifference(DeviceBuffer a, DeviceBuffer b, long n) {
        float[] x = new float[Math.toIntExact(n)];
        float[] y = new float[x.length];
        a.download(Pointer.to(x), 4L * n);
        b.download(Pointer.to(y), 4L * n);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(x[i])));
        }
        return worst;
    }

    /**
     * Self-join of the first {@code queries} rows against all {@code rows}, k = 10, with every kernel: time,
     * recall against the first (cuBLAS), and for TF32 the rows that differ from FUSED at all (the promise
     * is none) and the rows it handed back to FUSED.
     */
    private void knn(int rows, int d, int queries, int reps) {
        FloatMatrix base = new FloatMatrix(rows, d, random((long) rows * d, rows + d));
        FloatMatrix q = new FloatMatrix(queries, d, Arrays.copyOf(base.data(), queries * d));
        Map<DeviceKnn.Kernel, Neighbors> results = new EnumMap<>(DeviceKnn.Kernel.class);
        Map<DeviceKnn.Kernel, Double> times = new EnumMap<>(DeviceKnn.Kernel.class);
        double flop = 2.0 * queries * rows * d;
        for (DeviceKnn.Kernel kernel : DeviceKnn.Kernel.values()) {
            if (kernel == DeviceKnn.Kernel.CUBLAS && dev.cublas() == null) {
                say("knn %d x %d, %d queries: no cuBLAS", rows, d, queries);
                continue;
            }
            DeviceKnn knn = new DeviceKnn(dev, kernel);
            Neighbors[] got = new Neighbors[1];
            double t = ms(() -> got[0] = knn.nearest(base, q, 10, true, Progress.NONE), reps);
            results.put(kernel, got[0]);
            times.put(kernel, t);
            StringBuilder notes = new StringBuilder();
            DeviceKnn.Kernel first = results.keySet().iterator().next();
            if (first != kernel) {
                notes.append(String.format(Locale.ROOT, ", %.2fx %s, recall against it %.5f", times.get(first) / t,
                        first, recall(results.get(first), got[0])));
            }
            Neighbors fused = results.get(DeviceKnn.Kernel.FUSED);
            if (kernel == DeviceKnn.Kernel.TF32 && fused != null) {
                notes.append(String.format(Locale.ROOT, ", %.2fx FUSED, rows differing from FUSED %d, rows recomputed "
                        + "in FP32 %d of %d (all runs)", times.get(DeviceKnn.Kernel.FUSED) / t, differingRows(fused, got[0]),
                        knn.recomputedRows(), (long) queries * (reps + 1)));
            }
            say("knn %d x %d, %d queries, k 10, %s: %.1f ms (%.1f TFLOP/s of distance products)%s", rows, d, queries,
                    kernel, t, flop / t / 1e9, notes);
        }
    }

    /** Rows whose indices or distances differ at all. */
    private static int differingRows(Neighbors a, Neighbors b) {
        int k = a.k();
        int rows = 0;
        for (int i = 0; i < a.rows(); i++) {
            if (!Arrays.equals(a.index(), i * k, i * k + k, b.index(), i * k, i * k + k)
                    || !Arrays.equals(a.distance(), i * k, i * k + k, b.distance(), i * k, i * k + k)) {
                rows++;
            }
        }
        return rows;
    }

    /** Fraction of a's neighbours found in b's list of the same row. */
    private static double recall(Neighbors a, Neighbors b) {
        long hit = 0;
        int k = a.k();
        for (int i = 0; i < a.rows(); i++) {
            for (int x = 0; x < k; x++) {
                int want = a.index()[i * k + x];
                for (int y = 0; y < k; y++) {
                    if (b.index()[i * k + y] == want) {
                        hit++;
                        break;
                    }
                }
            }
        }
        return (double) hit / ((long) a.rows() * k);
    }

    /**
     * Does the breadth-first order the iteration puts large graphs in pay on the GPU? A kNN-like graph
     * (1M rows in 100 clusters whose rows are spread over the index range, 10 random neighbours each within
     * the cluster, symmetrized), stepped with {@code classes} classes in its own order and in breadth-first
     * order, and the host's cost of that order (search and permutation) for comparison.
     */
    private void reordering(int classes) {
        int rows = 1_000_000;
        int clusters = 100;
        int degree = 10;
        Random r = new Random(5);
        int[] src = new int[rows * degree];
        int[] dst = new int[src.length];
        float[] w = new float[src.length];
        for (int e = 0; e < src.length; e++) {
            int i = e / degree;
            src[e] = i;
            dst[e] = i % clusters + clusters * r.nextInt(rows / clusters);
            w[e] = 1f - r.nextFloat();
        }
        CsrGraph g = GraphBuilder.fromEdges(rows, src, dst, w, Symmetrization.MAX, false);
        long t0 = System.nanoTime();
        int[] order = Reordering.breadthFirst(g);
        CsrGraph ordered = Reordering.permute(g, order, ForkJoinPool.commonPool());
        double hostMs = (System.nanoTime() - t0) / 1e6;
        float[] y = random((long) rows * classes, 4);
        for (int i = 0; i < y.length; i++) {
            y[i] += 0.5f;
        }
        PropagationState start = new PropagationState(rows, classes, y, y);
        StepRule rule = new StepRule(0.99f, 0.01f, null, true);
        double[] ms = new double[2];
        CsrGraph[] graphs = {g, ordered};
        for (int v = 0; v < 2; v++) {
            try (Propagator p = new FusedPropagator(dev, graphs[v], start, rule,
                    FusedPropagator.Kernel.forClasses(classes))) {
                ms[v] = ms(p::step, 20);
            }
        }
        say("reordering, clusters graph %d rows, %d edges, %d classes: step %.3f ms in its own order, %.3f ms in "
                + "breadth-first order (%.2fx); the order costs the host %.0f ms (search + permute, %d threads), "
                + "pays back after %.0f steps", rows, g.edges(), classes, ms[0], ms[1], ms[0] / ms[1], hostMs,
                ForkJoinPool.commonPool().getParallelism(), ms[0] > ms[1] ? hostMs / (ms[0] - ms[1]) : Double.POSITIVE_INFINITY);
    }

    /**
     * One propagation step on 1,000,003 rows with about 20M random edges (the shape): the warp
     * kernel, the slot kernel, cuSPARSE SpMM + update; against the L2-gather roofline (every edge reads its
     * neighbour's row of Y from L2, counted in 32-byte sectors; the streams of the graph, Y0 and next from
     * DRAM) at the bandwidths measured by limits().
     */
    private void step(int classes) {
        int rows = 1_000_003;
        CsrGraph g = TestData.randomGraph(rows, 20, 7);
        float[] y = random((long) rows * classes, 3);
        for (int i = 0; i < y.length; i++) {
            y[i] += 0.5f;
        }
        PropagationState start = new PropagationState(rows, classes, y, y.clone());
        StepRule rule = new StepRule(0.99f, 0.01f, null, true);
        long sectors = 0;
        int rowBytes = 4 * classes;
        for (int e = 0; e < g.edges(); e++) {
            long first = (long) g.col()[e] * rowBytes;
            sectors += (first + rowBytes - 1) / 32 - first / 32 + 1;
        }
        double l2Bytes = 32.0 * sectors;
        double dramBytes = 8.0 * g.edges() + 8.0 * rows + 3.0 * 4 * rows * classes;
        double floorMs = Math.max(sectors / gatherSectorsPerS * 1e3, dramBytes / dramGbs / 1e6);
        say("step %d rows, %d edges, %d classes: roofline %.3f ms (%.2f sectors per edge, %.2f G sectors at the "
                + "scattered rate; DRAM %.2f GB at %.0f GB/s; at the sequential L2 rate the gathers would take %.3f ms)",
                rows, g.edges(), classes, floorMs, (double) sectors / g.edges(), sectors / 1e9, dramBytes / 1e9,
                dramGbs, l2Bytes / l2Gbs / 1e6);
        StepResult reference = null;
        String[] paths = Stream.concat(Stream.of(FusedPropagator.Kernel.values()).map(Enum::name), Stream.of("cusparse"))
                .toArray(String[]::new);
        for (String path : paths) {
            if (path.equals("cusparse") && dev.cusparse() == null) {
                say("  cusparse: libcusparse did not load");
                continue;
            }
            Supplier<Propagator> make = () -> path.equals("cusparse") ? new CusparsePropagator(dev, g, start, rule)
                    : new FusedPropagator(dev, g, start, rule, FusedPropagator.Kernel.valueOf(path));
            try (Propagator p = make.get()) {
                StepResult first = p.step();
                if (reference == null) {
                    reference = first;
                } else if (Math.abs(first.change() - reference.change()) > 1e-4 * reference.change()) {
                    throw new IllegalStateException(path + " step differs: " + first + " vs " + reference);
                }
                double t = ms(p::step, 20);
                say("  %-14s %.3f ms per step (%.2fx the roofline, %.0f GB/s of L2 sectors)", path, t, t / floorMs,
                        l2Bytes / t / 1e6);
            }
        }
    }
}
