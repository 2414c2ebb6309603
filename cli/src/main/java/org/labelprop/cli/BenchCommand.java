package org.labelprop.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.io.AtomicOutput;
import org.labelprop.core.io.EdgeList;
import org.labelprop.core.io.EdgeListReader;
import org.labelprop.core.io.NpyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labelprop bench}: named end-to-end scenarios, each stage timed with its rate (GFLOP/s for the
 * exact graph, GB/s for propagation steps) against this machine's memory bandwidth measured in the same
 * run, plus recall, accuracy and peak heap, as a table and as JSON. bench/scripts/compare-sklearn.sh runs
 * scikit-learn on the same split right after, so the two are measured side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run end-to-end benchmark scenarios: fashion-mnist, fashion-mnist-approx, clusters-1m, "
                + "clusters-1m-exact, sbm-10m.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> SCENARIOS = List.of("fashion-mnist", "fashion-mnist-approx", "clusters-1m", "clusters-1m-exact",
            "sbm-10m");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "One or more of: ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> scenarios;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--labels-out", paramLabel = "FILE",
            description = "Write the Fashion-MNIST split's labels (.npy, -1 = hidden) for bench/scripts/sklearn_baseline.py.")
    Path labelsOut;

    @Option(names = "--rows", paramLabel = "N", description = "Use only the first N rows of each scenario's data.")
    Integer rows;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "${java.io.tmpdir}",
            description = "Where sbm-10m writes its edge list (about 0.8 GB) (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    Engine engine;

    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(SCENARIOS);
        }
    }

    /** Nanoseconds per random cache-line read with every thread reading: the floor of a gather-bound step. */
    private double gatherNs;

    /** One stage's measurements, in the order they were taken. */
    private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown scenario '" + s + "'; known: " + String.join(", ", SCENARIOS));
            }
        }
        if (rows != null && rows < 100) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 100, got "
                    + rows);
        }
        PrintWriter out = spec.commandLine().getOut();
        Engine.Session session = engine.start(spec.commandLine().getErr());
        Backend backend = session.backend();
        double triad = triadGBs(backend);
        out.printf("labelprop bench, backend %s, %d processors, max heap %.1f GiB%n", backend.description(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        out.printf("memory bandwidth (triad a = b + s c on 3 x 256 MB, same run): %.1f GB/s%n", triad);
        record("machine", "triad_GBs", triad);
        gatherNs = gatherNs(backend);
        out.printf("random reads (one 64-byte line each from 512 MB, all threads, same run): %.2f ns per line%n",
                gatherNs);
        record("machine", "random_line_ns", gatherNs);
        for (String s : scenarios) {
            resetPeaks();
            switch (s) {
                case "fashion-mnist":
                case "fashion-mnist-approx":
                    fashion(backend, s.endsWith("approx"), triad, out);
                    break;
                case "clusters-1m":
                    clusters(backend, out);
                    break;
                case "clusters-1m-exact":
                    clustersExact(backend, triad, out);
                    break;
                case "sbm-10m":
                    sbm(backend, triad, out);
                    break;
                default:
                    throw new AssertionError(s);
            }
            record(s, "peak_heap_GiB", peakHeap() / (double) (1L << 30));
            out.printf("  %-34s %10.2f GiB%n", "peak heap", peakHeap() / (double) (1L << 30));
        }
        if (json != null) {
            AtomicOutput.write(json, o -> o.write(toJson().getBytes(StandardCharsets.UTF_8)));
        }
        session.close();
        return Main.OK;
    }

    private void fashion(Backend backend, boolean approximate, double triad, PrintWriter out) throws Exception {
        String name = approximate ? "fashion-mnist-approx" : "fashion-mnist";
        if (!FashionMnist.isPresent(FashionMnist.DEFAULT_DIR)) {
            throw new DataException(FashionMnist.DEFAULT_DIR + ": Fashion-MNIST not installed "
                    + "(apt-get install dataset-fashion-mnist)");
        }
        long t0 = System.nanoTime();
        Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, rows == null ? 70_000 : rows);
        stage(out, name, "load", t0, "");
        FloatMatrix x = data.features();
        int n = x.rows();
        KnnGraph.Options options = KnnGraph.Options.defaults();
        t0 = System.nanoTime();
        Neighbors nb = approximate
                ? KnnSearch.neighbors(backend, x, options.k(), Metric.EUCLIDEAN, false,
                        InvertedFile.withDefaults(), Progress.NONE)
                : KnnSearch.neighbors(backend, x, options.k(), Metric.EUCLIDEAN, false, ExactSearch.INSTANCE,
                        Progress.NONE);
        double knnSeconds = seconds(t0);
        if (approximate) {
            double recall = KnnSearch.recall(backend, x, nb, Metric.EUCLIDEAN, 500, 1);
            record(name, "recall_at_10", recall);
            stage(out, name, "kNN graph (inverted file)", knnSeconds, String.format("recall@10 %.4f (500 rows)", recall));
        } else {
            double gflops = 2.0 * n * n * x.cols() / knnSeconds / 1e9;
            record(name, "knn_GFLOPs", gflops);
            stage(out, name, "kNN graph (exact)", knnSeconds, String.format("%.0f GFLOP/s", gflops));
        }
        t0 = System.nanoTime();
        CsrGraph graph = KnnGraph.fromNeighbors(nb, options);
        stage(out, name, "weights + symmetrization", t0, graph.edges() + " edges");
        int[] labels = LabelSplit.perClass(data.truth(), 10, 1);
        if (labelsOut != null) {
            NpyFile.writeInts(labelsOut, labels);
        }
        spread(backend, name, graph, labels, data.truth(), triad, out);
    }

    private void spread(Backend backend, String name, CsrGraph graph, int[] labels, int[] truth, double triad,
                        PrintWriter out) {
        StepClock clock = new StepClock();
        long t0 = System.nanoTime();
        PropagationResult r = LabelSpreading.fit(backend, graph, Labels.of(labels, "labels"),
                LabelSpreading.Options.defaults(), clock);
        double s = seconds(t0);
        int classes = r.prediction().classCount();
        double bytesPerStep = 12.0 * graph.edges() + 4.0 * graph.rows() + 12.0 * graph.rows() * classes;
        double perStep = clock.secondsPerStep();
        double gbs = bytesPerStep / perStep / 1e9;
        double accuracy = r.prediction().accuracy(truth, LabelSplit.hidden(labels));
        record(name, "spreading_steps", r.iterations());
        record(name, "step_ms", perStep * 1e3);
        record(name, "step_GBs", gbs);
        record(name, "accuracy", accuracy);
        // A GPU's steps move device memory, so the host's triad is no yardstick for them.
        String limit = backend.name().equals("cuda") ? "device memory" : String.format("%.0f%% of triad",
                100 * gbs / triad);
        stage(out, name, "label spreading", s, String.format("%d steps, %.2f ms/step, %.1f GB/s (%s); %.2f s outside"
                + " the steps", r.iterations(), perStep * 1e3, gbs, limit, s - perStep * r.iterations()));
        out.printf("  %-34s %9.2f%%%n", "accuracy on hidden rows", 100 * accuracy);
    }

    /**
     * Times the propagation stage's steps alone: from the first step's end to the last's, over the steps in
     * between, so graph normalization, reordering, uploads, the JIT's first pass and the final read stay out
     * of the per-step figure.
     */
    private static final class StepClock implements Progress {
        private boolean propagating;
        private long first;
        private long last;
        private long steps;

        @Override
        public synchronized void start(String stage, long total) {
            propagating = stage.equals("propagation");
        }

        @Override
        public synchronized void advance(long amount) {
            if (propagating) {
                last = System.nanoTime();
                if (steps == 0) {
                    first = last;
                }
                steps += amount;
            }
        }

        @Override
        public synchronized void finish() {
            propagating = false;
        }

        /** Seconds per step between the first and the last; NaN with fewer than two steps. */
        synchronized double secondsPerStep() {
            return steps < 2 ? Double.NaN : (last - first) / 1e9 / (steps - 1);
        }
    }

    /**
     * 1,000,000 x 128 Gaussian clusters: how fast an approximate graph is built at that size, and how good it
     * is. Isotropic clusters in 128 dimensions are the hard case for NN-Descent (recall 0.88 in 268 s with a
     * pool of 3k, docs/benchmarks.md); the inverted file's exact tiles do not mind the dimension.
     */
    private void clusters(Backend backend, PrintWriter out) {
        String name = "clusters-1m";
        int n = rows == null ? 1_000_000 : rows;
        long t0 = System.nanoTime();
        FloatMatrix x = Synthetic.gaussianClusters(n, 128, 100, 7).features();
        stage(out, name, "generate " + n + " x 128", t0, "100 clusters");
        t0 = System.nanoTime();
        Neighbors nb = KnnSearch.neighbors(backend, x, 10, Metric.EUCLIDEAN, false, InvertedFile.withDefaults(),
                Progress.NONE);
        double s = seconds(t0);
        double recall = KnnSearch.recall(backend, x, nb, Metric.EUCLIDEAN, 200, 1);
        record(name, "knn_seconds", s);
        record(name, "recall_at_10", recall);
        stage(out, name, "kNN graph (inverted file)", s, String.format("recall@10 %.4f (200 rows)", recall));
    }

    /**
     * The same 1,000,000 x 128 clusters through exact search (a GPU's scenario: 2.6e14 multiply-adds), then
     * label spreading from 10 labels per cluster (100 classes); the recall sample checks the graph against
     * exact search.
     */
    private void clustersExact(Backend backend, double triad, PrintWriter out) {
        String name = "clusters-1m-exact";
        int n = rows == null ? 1_000_000 : rows;
        long t0 = System.nanoTime();
        Dataset data = Synthetic.gaussianClusters(n, 128, 100, 7);
        FloatMatrix x = data.features();
        stage(out, name, "generate " + n + " x 128", t0, "100 clusters");
        KnnGraph.Options options = KnnGraph.Options.defaults();
        t0 = System.nanoTime();
        Neighbors nb = KnnSearch.neighbors(backend, x, options.k(), Metric.EUCLIDEAN, false, ExactSearch.INSTANCE,
                Progress.NONE);
        double s = seconds(t0);
        double gflops = 2.0 * n * n * x.cols() / s / 1e9;
        double recall = KnnSearch.recall(backend, x, nb, Metric.EUCLIDEAN, 200, 1);
        record(name, "knn_seconds", s);
        record(name, "knn_GFLOPs", gflops);
        record(name, "recall_at_10", recall);
        stage(out, name, "kNN graph (exact)", s, String.format("%.0f GFLOP/s, recall@10 %.4f (200 rows)", gflops,
                recall));
        t0 = System.nanoTime();
        CsrGraph graph = KnnGraph.fromNeighbors(nb, options);
        stage(out, name, "weights + symmetrization", t0, graph.edges() + " edges");
        spread(backend, name, graph, LabelSplit.perClass(data.truth(), 10, 1), data.truth(), triad, out);
    }

    /**
     * A stochastic block model: 10,000,000 rows in 10 planted classes, 5 edges drawn per row (4 inside its
     * class, 1 anywhere), written as a CSV edge list, read back and symmetrized to about 10 per row;
     * 1% of rows labeled.
     */
    private void sbm(Backend backend, double triad, PrintWriter out) throws Exception {
        String name = "sbm-10m";
        int n = rows == null ? 10_000_000 : rows;
        int classes = 10;
        int perRow = 5;
        long t0 = System.nanoTime();
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % classes;
        }
        int[] src = new int[FloatMatrix.checkSize(n, perRow, "edge list")];
        int[] dst = new int[src.length];
        IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom r = new SplittableRandom(1_000_003L * i + 17);
            for (int e = 0; e < perRow; e++) {
                int j;
                if (e < perRow - 1) {
                    // Same class: rows congruent to i modulo the class count.
                    j = (int) ((r.nextInt(n / classes) * (long) classes + truth[i]) % n);
                } else {
                    j = r.nextInt(n);
                }
                src[i * perRow + e] = i;
                dst[i * perRow + e] = j;
            }
        });
        Path file = Files.createTempFile(workDir, "labelprop-sbm-", ".csv");
        try {
            AtomicOutput.write(file, o -> {
                byte[] line = new byte[32];
                for (int e = 0; e < src.length; e++) {
                    int len = format(src[e], dst[e], line);
                    o.write(line, 0, len);
                }
            });
            stage(out, name, "generate + write edge list", t0, src.length + " edges, "
                    + Files.size(file) / (1 << 20) + " MiB CSV");
            t0 = System.nanoTime();
            EdgeList list = EdgeListReader.read(file);
            stage(out, name, "read edge list", t0, "");
            t0 = System.nanoTime();
            CsrGraph graph = GraphBuilder.fromEdges(n, list.src(), list.dst(), list.weight(), Symmetrization.MAX,
                    false);
            stage(out, name, "build CSR (symmetrized)", t0, graph.edges() + " edges");
            int[] labels = new int[n];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(100) == 0 ? truth[i] : -1;
            }
            spread(backend, name, graph, labels, truth, triad, out);
            // A random graph gathers a row of Y from anywhere for every edge: at best one random line read each.
            double floorMs = graph.edges() * gatherNs / 1e6;
            double stepMs = (Double) results.get(name).get("step_ms");
            record(name, "random_gather_floor_ms", floorMs);
            out.printf("  %-34s %10.2f ms   one random line per edge; the step takes %.1fx that%n",
                    "random-gather floor of a step", floorMs, stepMs / floorMs);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** "src,dst\n" into buf without allocating; returns the length. */
    private static int format(int a, int b, byte[] buf) {
        int p = writeInt(a, buf, 0);
        buf[p++] = ',';
        p = writeInt(b, buf, p);
        buf[p++] = '\n';
        return p;
    }

    private static int writeInt(int v, byte[] buf, int at) {
        if (v == 0) {
            buf[at] = '0';
            return at + 1;
        }
        int digits = 0;
        for (int t = v; t > 0; t /= 10) {
            digits++;
        }
        for (int p = at + digits - 1; p >= at; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    /**
     * Random reads of one float per 64-byte line over 512 MB (far beyond any cache), each thread with its
     * own xorshift stream so the loads are independent and as many are in flight as the cores allow; best
     * of 3. Transparent huge pages, as the launcher runs, keep page walks out of it.
     */
    private static double gatherNs(Backend backend) {
        int lines = 1 << 23;
        float[] y = new float[lines * 16];
        java.util.Arrays.fill(y, 1f);
        int chunks = 256;
        int perChunk = 1 << 16;
        double best = Double.MAX_VALUE;
        double[] sink = new double[chunks];
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            backend.workers().submit(() -> IntStream.range(0, chunks).parallel().forEach(ch -> {
                long x = 0x9E3779B97F4A7C15L * (ch + 1);
                float acc = 0;
                for (int i = 0; i < perChunk; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    acc += y[(int) (x & (lines - 1)) << 4];
                }
                sink[ch] = acc;
            })).join();
            best = Math.min(best, seconds(t0));
        }
        if (java.util.Arrays.stream(sink).sum() != (double) chunks * perChunk) {
            throw new IllegalStateException("random-read benchmark miscounted");
        }
        return best * 1e9 / ((double) chunks * perChunk);
    }

    /** a[i] = b[i] + s c[i] over 64M floats per array, best of 5, counting 3 arrays moved. */
    private static double triadGBs(Backend backend) {
        int n = 1 << 26;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
        int chunks = 256;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            backend.workers().submit(() -> IntStream.range(0, chunks).parallel().forEach(ch -> {
                int from = (int) ((long) n * ch / chunks);
                int to = (int) ((long) n * (ch + 1) / chunks);
                for (int i = from; i < to; i++) {
                    a[i] = b[i] + 3f * c[i];
                }
            })).join();
            best = Math.min(best, seconds(t0));
        }
        return 3.0 * 4 * n / best / 1e9;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void stage(PrintWriter out, String scenario, String stage, long t0, String note) {
        stage(out, scenario, stage, seconds(t0), note);
    }

    private void stage(PrintWriter out, String scenario, String stage, double s, String note) {
        if (!results.containsKey(scenario)) {
            out.println();
            out.println(scenario);
        }
        record(scenario, stage.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "").toLowerCase(Locale.ROOT) + "_seconds", s);
        out.printf("  %-34s %8.2f s   %s%n", stage, s, note);
    }

    private void record(String scenario, String key, Object value) {
        results.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(key, value);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound on the live peak. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Map<String, Object>> s : results.entrySet()) {
            sb.append("  \"").append(s.getKey()).append("\": {");
            int j = 0;
            for (Map.Entry<String, Object> e : s.getValue().entrySet()) {
                sb.append(j++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ");
                Object v = e.getValue();
                sb.append(v instanceof Double ? String.format(Locale.ROOT, "%.6g", (Double) v) : v.toString());
            }
            sb.append(i++ < results.size() - 1 ? "},\n" : "}\n");
        }
        return sb.append("}\n").toString();
    }
}
