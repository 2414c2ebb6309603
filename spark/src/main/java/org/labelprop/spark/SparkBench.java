package org.labelprop.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.spark.BlockedGraph.Edge;
import org.labelprop.spark.BlockedGraph.Node;

/**
 * Measurements of the Spark engine, printed as one table per run (the master comes from spark.master, e.g.
 * set by spark/bench-standalone.sh):
 * <ul>
 *   <li>{@code fashion-mnist [ROWS] [ivf]}: the exact (or inverted-file) kNN graph and label spreading with the defaults on Spark, then
 *       the same on one machine (cpu backend) in the driver, with both accuracies on the hidden rows.</li>
 *   <li>{@code sbm ROWS DEGREE BLOCKS ORDER ITERATIONS}: a stochastic block model of 10 classes generated
 *       inside the executors (DEGREE edges per row, 80% within the class), 1% labeled; rows in class order
 *       ({@code class}: most edges stay inside a block) or scattered ({@code random}); a fixed number of
 *       spreading steps, timed one by one. The graph goes through the edge-list pipeline: edges generated
 *       per row, both directions shuffled, repeats summed, then every edge shuffled to its block.</li>
 *   <li>{@code ring ROWS RING CROSS BLOCKS ITERATIONS}: the {@link GeneratedGraph} (10 classes in row order,
 *       rings at offsets +-1, +-4, ..., +-4^(RING-1) inside each class, CROSS involution edges mostly to other
 *       classes, 1% labeled), symmetric by construction, so each block generates its own rows' edges in
 *       place and no edge moves; a fixed number of spreading steps. Prints time per stage, the halo actually
 *       shuffled per step, and the most storage memory the executors used.</li>
 * </ul>
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        SparkSession spark = SparkSession.builder().appName("labelprop-bench").getOrCreate();
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "fashion-mnist" -> fashionMnist(spark, args.length > 1 ? Integer.parseInt(args[1]) : 70_000,
                        args.length > 2 && args[2].equals("ivf") ? KnnGraph.Options.defaults()
                                .withSearch(org.labelprop.core.search.InvertedFile.withDefaults())
                                : KnnGraph.Options.defaults());
                case "sbm" -> sbm(spark, Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        args[4], Integer.parseInt(args[5]));
                case "ring" -> ring(spark, Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                default -> System.err.println("usage: SparkBench fashion-mnist [ROWS] [ivf] | sbm ROWS DEGREE BLOCKS "
                        + "class|random ITERATIONS | ring ROWS RING CROSS BLOCKS ITERATIONS");
            }
        } finally {
            spark.stop();
        }
    }

    private static void fashionMnist(SparkSession spark, int rows, KnnGraph.Options graphOptions) throws IOException {
        org.labelprop.core.data.Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, rows);
        FloatMatrix x = data.features();
        int[] labels = LabelSplit.perClass(data.truth(), 10, 42);
        List<Row> table = new ArrayList<>(x.rows());
        for (int i = 0; i < x.rows(); i++) {
            table.add(RowFactory.create((long) i, Arrays.copyOfRange(x.data(), i * x.cols(), (i + 1) * x.cols()),
                    labels[i]));
        }
        int blocks = new JavaSparkContext(spark.sparkContext()).defaultParallelism() * 2;
        Dataset<Row> frame = spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(table, blocks),
                SparkGraph.FEATURE_SCHEMA);
        long t0 = System.nanoTime();
        SparkGraph g = SparkGraph.fromFeatures(frame, graphOptions, blocks);
        String recall = g.recall().isPresent() ? String.format(Locale.ROOT, "%.4f", g.recall().getAsDouble()) : "exact";
        long edges = g.edges();
        double graphSeconds = seconds(t0);
        long t1 = System.nanoTime();
        SparkPropagation.Result r = SparkPropagation.spread(g, LabelSpreading.Options.defaults(),
                SparkPropagation.Options.defaults());
        double spreadSeconds = seconds(t1);
        int[] sparkLabels = new int[x.rows()];
        for (Row row : r.predictions().select("id", "label").collectAsList()) {
            sparkLabels[(int) row.getLong(0)] = row.getInt(1);
        }
        double halo = g.haloShare();
        g.unpersist();

        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        double localGraph;
        double localSpread;
        Prediction local;
        try (Backend cpu = Backends.select("cpu", pool, note -> { })) {
            long t2 = System.nanoTime();
            KnnGraph knn = KnnGraph.build(cpu, x, graphOptions, Progress.NONE);
            localGraph = seconds(t2);
            long t3 = System.nanoTime();
            local = LabelSpreading.fit(cpu, knn.graph(), Labels.of(labels, "split"), LabelSpreading.Options.defaults(),
                    Progress.NONE).prediction();
            localSpread = seconds(t3);
        } finally {
            pool.shutdown();
        }
        int[] hidden = LabelSplit.hidden(labels);
        double sparkAccuracy = accuracy(sparkLabels, data.truth(), hidden);
        double localAccuracy = accuracy(local.label(), data.truth(), hidden);
        int differ = 0;
        for (int i = 0; i < sparkLabels.length; i++) {
            differ += sparkLabels[i] != local.label()[i] ? 1 : 0;
        }
        double[] sec = r.iterationSeconds();
        System.out.printf(Locale.ROOT, "| run | rows | graph (recall) | edges | blocks | halo share | graph s | spreading s "
                + "| iterations | median s/it | p90 s/it | accuracy |%n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
        System.out.printf(Locale.ROOT, "| spark %s | %d | %s | %d | %d | %.3f | %.1f | %.1f | %d | %.3f | %.3f | %.4f |%n",
                spark.sparkContext().master(), x.rows(), recall, edges, blocks, halo, graphSeconds, spreadSeconds,
                r.iterations(), quantile(sec, 0.5), quantile(sec, 0.9), sparkAccuracy);
        System.out.printf(Locale.ROOT, "| one machine (cpu backend, driver JVM) | %d | | | | | %.1f | %.1f | | | | %.4f |%n",
                x.rows(), localGraph, localSpread, localAccuracy);
        System.out.printf(Locale.ROOT, "labels that differ between the two runs: %d of %d%n", differ, x.rows());
    }

    private static double accuracy(int[] predicted, int[] truth, int[] rows) {
        long hit = Arrays.stream(rows).filter(i -> predicted[i] == truth[i]).count();
        return (double) hit / rows.length;
    }

    /** The stochastic block model: edges generated per row from a seeded stream, in the executors. */
    private static void sbm(SparkSession spark, long rows, int degree, int blocks, String order, int iterations) {
        int classes = 10;
        boolean scattered = order.equals("random");
        long classRows = rows / classes;
        JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
        // Row i's place: in class order it is i; scattered, a fixed bijection (a * i mod rows, a coprime).
        long a = coprimeNear(rows, (long) (rows * 0.618));
        long inverseA = java.math.BigInteger.valueOf(a).modInverse(java.math.BigInteger.valueOf(rows)).longValue();
        long blockRows = BlockedGraph.blockRows(rows, blocks);
        List<Long> starts = new ArrayList<>();
        for (long s = 0; s < rows; s += blockRows) {
            starts.add(s);
        }
        JavaRDD<Long> firstRows = sc.parallelize(starts, starts.size());
        JavaRDD<Node> nodes = firstRows.flatMap(s -> {
            List<Node> out = new ArrayList<>();
            for (long i = s; i < Math.min(rows, s + blockRows); i++) {
                long logical = scattered ? logical(i, inverseA, rows) : i;
                int cls = (int) Math.min(classes - 1, logical / classRows);
                out.add(new Node(i, i, logical % 100 == 0 ? cls : -1));
            }
            return out.iterator();
        });
        JavaRDD<Edge> edges = firstRows.flatMap(s -> {
            List<Edge> out = new ArrayList<>();
            for (long i = s; i < Math.min(rows, s + blockRows); i++) {
                long logical = scattered ? logical(i, inverseA, rows) : i;
                long cls = Math.min(classes - 1, logical / classRows);
                SplittableRandom random = new SplittableRandom(logical * 0x9E3779B97F4A7C15L + 1);
                for (int e = 0; e < degree; e++) {
                    long other = random.nextInt(10) < 8
                            ? cls * classRows + random.nextLong(cls == classes - 1 ? rows - cls * classRows : classRows)
                            : random.nextLong(rows);
                    long j = scattered ? java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(other))
                            .mod(java.math.BigInteger.valueOf(rows)).longValue() : other;
                    if (j != i) {
                        out.add(new Edge(i, j, 1f));
                        out.add(new Edge(j, i, 1f));
                    }
                }
            }
            return out.iterator();
        });
        long t0 = System.nanoTime();
        BlockedGraph bg = BlockedGraph.build(EdgeLists.sumRepeats(edges, false), nodes, rows, blockRows);
        SparkGraph g = new SparkGraph(spark, bg, java.util.OptionalDouble.empty(), false);
        long edgeCount = g.edges();
        double graphSeconds = seconds(t0);
        double halo = g.haloShare();
        SparkPropagation.Result r = SparkPropagation.spread(g,
                new LabelSpreading.Options(0.99f, 0, iterations, org.labelprop.core.algo.Convergence.TOTAL_CHANGE, true,
                        false),
                SparkPropagation.Options.defaults());
        long correct = r.predictions().javaRDD().filter(row -> {
            long i = row.getLong(0);
            long logical = scattered ? logical(i, inverseA, rows) : i;
            return row.getInt(1) == (int) Math.min(classes - 1, logical / classRows);
        }).count();
        double[] sec = r.iterationSeconds();
        // Halo bytes of one step: each halo row's 10 class values as floats, once per block that reads it.
        double haloBytes = halo * rows * classes * 4.0;
        // Flat time per step over a long run is what the checkpoints are for: the first and last tenth compared.
        int tenth = Math.max(1, sec.length / 10);
        double early = quantile(Arrays.copyOfRange(sec, 0, tenth), 0.5);
        double late = quantile(Arrays.copyOfRange(sec, sec.length - tenth, sec.length), 0.5);
        System.out.printf(Locale.ROOT, "| rows | edges | blocks | order | halo share | halo MB/step | build s | median s/it "
                + "| p90 s/it | first s/it | median s/it, first / last tenth | accuracy |%n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
        System.out.printf(Locale.ROOT, "| %d | %d | %d | %s | %.3f | %.1f | %.1f | %.3f | %.3f | %.3f | %.3f / %.3f | %.4f |%n",
                rows, edgeCount, bg.blockCount, order, halo, haloBytes / 1e6, graphSeconds, quantile(sec, 0.5),
                quantile(sec, 0.9), sec[0], early, late, (double) correct / rows);
        r.predictions().unpersist();
        g.unpersist();
    }

    /** The generated graph built in place (no edge shuffled), then a fixed number of spreading steps. */
    private static void ring(SparkSession spark, long rows, int ring, int cross, int blocks, int iterations) {
        GeneratedGraph gen = new GeneratedGraph(rows, 10, ring, cross);
        JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
        Watch watch = Watch.start(spark);
        try {
            long blockRows = BlockedGraph.blockRows(rows, blocks);
            long t0 = System.nanoTime();
            BlockedGraph bg = BlockedGraph.fromBlockRows(gen.blocks(sc, blockRows), rows, blockRows);
            double buildSeconds = seconds(t0);
            SparkGraph g = new SparkGraph(spark, bg, java.util.OptionalDouble.empty(), true);
            long edgeCount = g.edges();
            double halo = g.haloShare();
            long t1 = System.nanoTime();
            int firstSpreadStage = watch.stages();
            SparkPropagation.Result r = SparkPropagation.spread(g,
                    new LabelSpreading.Options(0.99f, 0, iterations, org.labelprop.core.algo.Convergence.TOTAL_CHANGE,
                            true, false), SparkPropagation.Options.defaults());
            double spreadSeconds = seconds(t1);
            double[] sec = r.iterationSeconds();
            double stepSeconds = Arrays.stream(sec).sum();
            double[] shuffled = watch.shuffleWrites(firstSpreadStage);
            long t2 = System.nanoTime();
            long correct = r.predictions().javaRDD().filter(row -> row.getInt(1) == gen.classOf(row.getLong(0))).count();
            double accuracySeconds = seconds(t2);
            System.out.printf(Locale.ROOT, "| rows | edges | blocks | halo rows / rows | halo MB/step (10 floats a row) "
                    + "| shuffled MB/step (median) | build s | spreading s | setup + decisions s | steps | median s/it "
                    + "| p90 s/it | accuracy s | accuracy |%n"
                    + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.3f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %.3f | %.3f "
                    + "| %.1f | %.4f |%n", rows, edgeCount, bg.blockCount, halo, halo * rows * 10 * 4.0 / 1e6,
                    quantile(shuffled, 0.5) / 1e6, buildSeconds, spreadSeconds, spreadSeconds - stepSeconds, sec.length,
                    quantile(sec, 0.5), quantile(sec, 0.9), accuracySeconds, (double) correct / rows);
            System.out.println("seconds per step: " + Arrays.toString(sec));
            watch.report();
            r.predictions().unpersist();
            g.unpersist();
        } finally {
            watch.stop();
        }
    }

    /**
     * What the executors did, seen from the driver: every completed stage (duration, shuffle bytes, spills),
     * and every 2 s the storage memory each executor uses for cached blocks and the cached bytes on disk.
     */
    private static final class Watch extends org.apache.spark.scheduler.SparkListener {
        private record Stage(String name, int tasks, double seconds, long shuffleWrite, long remoteRead,
                             long memorySpilled, long diskSpilled) {
        }

        private final List<Stage> stages = java.util.Collections.synchronizedList(new ArrayList<>());
        private final SparkSession spark;
        private final java.util.Map<String, Long> peakStorage = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile long peakCachedOnDisk;
        private volatile boolean running = true;
        private Thread poller;

        private Watch(SparkSession spark) {
            this.spark = spark;
        }

        static Watch start(SparkSession spark) {
            Watch w = new Watch(spark);
            spark.sparkContext().addSparkListener(w);
            w.poller = new Thread(w::poll, "storage-poller");
            w.poller.setDaemon(true);
            w.poller.start();
            return w;
        }

        @Override
        public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted event) {
            org.apache.spark.scheduler.StageInfo s = event.stageInfo();
            org.apache.spark.executor.TaskMetrics m = s.taskMetrics();
            double seconds = s.submissionTime().isDefined() && s.completionTime().isDefined()
                    ? ((Long) s.completionTime().get() - (Long) s.submissionTime().get()) / 1e3 : Double.NaN;
            stages.add(new Stage(s.name(), s.numTasks(), seconds, m.shuffleWriteMetrics().bytesWritten(),
                    m.shuffleReadMetrics().remoteBytesRead(), m.memoryBytesSpilled(), m.diskBytesSpilled()));
            // Progress on stderr, so that a long run can be watched.
            System.err.printf(Locale.ROOT, "stage %d done: %s, %.2f s%n", stages.size(), s.name(), seconds);
        }

        private void poll() {
            while (running) {
                try {
                    scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getExecutorMemoryStatus())
                            .forEach((executor, maxAndFree) -> peakStorage.merge(executor,
                                    (Long) maxAndFree._1() - (Long) maxAndFree._2(), Math::max));
                    long disk = 0;
                    for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
                        disk += info.diskSize();
                    }
                    peakCachedOnDisk = Math.max(peakCachedOnDisk, disk);
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("storage poll failed: " + e);
                }
            }
        }

        int stages() {
            return stages.size();
        }

        /** Shuffle bytes written by each stage from the {@code from}-th on that wrote any. */
        double[] shuffleWrites(int from) {
            synchronized (stages) {
                return stages.subList(from, stages.size()).stream().mapToLong(Stage::shuffleWrite).filter(b -> b > 0)
                        .mapToDouble(b -> b).toArray();
            }
        }

        void report() {
            // Stages of the same call site (one per step for the steps' two) summed into one line, in first-seen order.
            java.util.Map<String, List<Stage>> byName = new java.util.LinkedHashMap<>();
            synchronized (stages) {
                stages.forEach(s -> byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s));
            }
            System.out.println("| stage (call site) | times | tasks | s total | s median | shuffle write MB | remote read MB "
                    + "| spilled MB (memory / disk) |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            byName.forEach((name, list) -> System.out.printf(Locale.ROOT,
                    "| %s | %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f / %.1f |%n", name, list.size(),
                    list.get(0).tasks(), list.stream().mapToDouble(Stage::seconds).sum(),
                    quantile(list.stream().mapToDouble(Stage::seconds).toArray(), 0.5),
                    list.stream().mapToLong(Stage::shuffleWrite).sum() / 1e6,
                    list.stream().mapToLong(Stage::remoteRead).sum() / 1e6,
                    list.stream().mapToLong(Stage::memorySpilled).sum() / 1e6,
                    list.stream().mapToLong(Stage::diskSpilled).sum() / 1e6));
            java.util.Map<String, Long> max = new java.util.TreeMap<>();
            scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getExecutorMemoryStatus())
                    .forEach((executor, maxAndFree) -> max.put(executor, (Long) maxAndFree._1()));
            peakStorage.forEach((executor, used) -> System.out.printf(Locale.ROOT,
                    "storage memory %s: peak %.0f MB used of %.0f MB%n", executor, used / 1e6,
                    max.getOrDefault(executor, 0L) / 1e6));
            System.out.printf(Locale.ROOT, "cached blocks on disk: peak %.0f MB%n", peakCachedOnDisk / 1e6);
        }

        void stop() {
            running = false;
            poller.interrupt();
            spark.sparkContext().removeSparkListener(this);
        }
    }

    private static long coprimeNear(long n, long start) {
        long a = Math.max(1, start);
        while (gcd(a, n) != 1) {
            a++;
        }
        return a;
    }

    private static long gcd(long x, long y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    /** The logical row placed at i by i = a * logical mod n, given a's inverse mod n. */
    private static long logical(long i, long inverseA, long n) {
        return java.math.BigInteger.valueOf(inverseA).multiply(java.math.BigInteger.valueOf(i))
                .mod(java.math.BigInteger.valueOf(n)).longValue();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
    }
}
