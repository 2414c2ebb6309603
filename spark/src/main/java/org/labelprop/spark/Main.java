package org.labelprop.spark;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code spark-submit} entry: {@code propagate} with the CLI's options, meanings and defaults, reading
 * and writing any Hadoop-supported path. Exit status as the CLI's: 0 done, 1 bad input data, 2 bad usage.
 */
@Command(name = "labelprop-spark", mixinStandardHelpOptions = true, subcommands = Main.Propagate.class,
        description = "Graph-based semi-supervised learning on Apache Spark.")
public final class Main {
    /** Core's parameter names (see {@link InvalidOptionException}) as this command's flags. */
    private static final java.util.Map<String, String> FLAGS = java.util.Map.ofEntries(
            java.util.Map.entry("LabelSpreading.Options.alpha", "--alpha"),
            java.util.Map.entry("LabelSpreading.Options.tol", "--tol"),
            java.util.Map.entry("LabelSpreading.Options.maxIter", "--max-iter"),
            java.util.Map.entry("LabelPropagation.Options.tol", "--tol"),
            java.util.Map.entry("LabelPropagation.Options.maxIter", "--max-iter"),
            java.util.Map.entry("KnnGraph.Options.k", "--k"),
            java.util.Map.entry("PoissonLearning.Options.minIter", "--min-iter"),
            java.util.Map.entry("PoissonLearning.Options.maxIter", "--max-iter"),
            java.util.Map.entry("KnnGraph.Options.sigma", "--sigma"),
            java.util.Map.entry("InvertedFile.Options.lists", "--ivf-lists"),
            java.util.Map.entry("InvertedFile.Options.probes", "--ivf-probes"),
            java.util.Map.entry("InvertedFile.Options.probeRatio", "--ivf-probe-ratio"),
            java.util.Map.entry("SparkGraph.blocks", "--blocks"),
            java.util.Map.entry("SparkPropagation.Options.checkpointInterval", "--checkpoint-interval"));

    /** Runs a command line and returns its exit status (the JVM is left running: spark-submit owns it). */
    public static int run(SparkSession spark, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == Propagate.class ? type.cast(new Propagate(spark, out))
                        : CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = rootCause(e);
            if (cause instanceof InvalidOptionException bad) {
                String flag = FLAGS.get(bad.parameter());
                err.println("labelprop-spark: " + (flag == null ? bad.getMessage() : flag + " " + bad.problem()));
                return 2;
            }
            if (cause instanceof DataException) {
                err.println("labelprop-spark: " + cause.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Spark wraps task failures; the data error thrown inside a task is the message a user needs. */
    static Throwable rootCause(Throwable e) {
        DataException d = Failures.dataCause(e);
        return d != null ? d : e;
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("labelprop").getOrCreate();
        int status;
        try {
            status = run(spark, System.out, System.err, args);
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    /** Enum values spelled in lower case with hyphens, as the CLI spells them. */
    abstract static class Spelled<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        Spelled(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")));
        }
    }

    static final class MetricSpelling extends Spelled<Metric> {
        MetricSpelling() {
            super(Metric.class);
        }
    }

    static final class WeightingSpelling extends Spelled<Weighting> {
        WeightingSpelling() {
            super(Weighting.class);
        }
    }

    static final class SymmetrizationSpelling extends Spelled<Symmetrization> {
        SymmetrizationSpelling() {
            super(Symmetrization.class);
        }
    }

    enum Algorithm {
        SPREADING,
        PROPAGATION,
        POISSON
    }

    static final class AlgorithmSpelling extends Spelled<Algorithm> {
        AlgorithmSpelling() {
            super(Algorithm.class);
        }
    }

    @Command(name = "propagate", mixinStandardHelpOptions = true,
            description = "Predict the unlabeled rows of a kNN graph of features, or of a given graph.")
    static final class Propagate implements Callable<Integer> {
        private final SparkSession spark;
        private final PrintStream out;

        Propagate(SparkSession spark, PrintStream out) {
            this.spark = spark;
            this.out = out;
        }

        @CommandLine.ArgGroup(multiplicity = "1")
        Input input;

        static final class Input {
            @Option(names = "--features", paramLabel = "F", required = true, description = "Features: Parquet "
                    + "(column features array<float>, optional id and label), CSV/TSV text (one row per line) or .npy.")
            String features;

            @Option(names = "--edges", paramLabel = "E", required = true,
                    description = "A graph as an edge list: Parquet (src, dst, weight) or text src,dst[,weight].")
            String edges;
        }

        @Option(names = "--labels", paramLabel = "L", description = "One label per row (-1 unlabeled), as the CLI "
                + "reads them, or Parquet (id, label). Optional when the features table has a label column.")
        String labels;

        @Option(names = "--out", required = true, paramLabel = "O", description = "Predictions (row,label,confidence): "
                + "a directory of CSV part files, or Parquet when O ends in .parquet. Must not exist.")
        String output;

        @Option(names = "--algorithm", defaultValue = "spreading", converter = AlgorithmSpelling.class,
                description = "spreading, propagation or poisson (default: ${DEFAULT-VALUE}).")
        Algorithm algorithm;

        @Option(names = "--alpha", description = "Spreading's alpha in (0, 1) (default: 0.99).")
        Float alpha;

        @Option(names = "--tol", description = "Stop when a step changes Y by less than this share of its mass "
                + "(default: 1e-5).")
        Double tol;

        @Option(names = "--max-iter", description = "Iteration limit (default: 1000).")
        Integer maxIter;

        @Option(names = "--min-iter", description = "Poisson: steps taken even when the walk has mixed sooner "
                + "(default: 50).")
        Integer minIter;

        @Option(names = "--momentum", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Spreading: second-order steps on a symmetric graph (default: on).")
        boolean momentum;

        @Option(names = "--class-mass-normalization", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Scale classes to the labeled proportions at the end (default: on).")
        boolean classMassNormalization;

        @Option(names = "--k", defaultValue = "10", description = "Neighbours per row (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--metric", defaultValue = "euclidean", converter = MetricSpelling.class,
                description = "euclidean or cosine (default: ${DEFAULT-VALUE}).")
        Metric metric;

        @Option(names = "--weights", defaultValue = "self-tuning", converter = WeightingSpelling.class,
                description = "binary, gaussian or self-tuning (default: ${DEFAULT-VALUE}).")
        Weighting weighting;

        @Option(names = "--sigma", defaultValue = "1", description = "Bandwidth of gaussian weights.")
        float sigma;

        @Option(names = "--symmetrize", converter = SymmetrizationSpelling.class, description = "none, average, "
                + "max or mutual (default: average for a kNN graph, none for a given graph).")
        Symmetrization symmetrization;

        @Option(names = "--approximate", arity = "0..1", fallbackValue = "ivf", paramLabel = "ivf",
                description = "Build the graph with an inverted file instead of exact search.")
        String approximate;

        @Option(names = "--ivf-lists", defaultValue = "0", description = "Inverted-file lists (0: sqrt of rows).")
        int ivfLists;

        @Option(names = "--ivf-probes", defaultValue = "" + InvertedFile.Options.DEFAULT_PROBES, description = "The most lists searched per row.")
        int ivfProbes;

        @Option(names = "--ivf-probe-ratio", defaultValue = "" + InvertedFile.Options.DEFAULT_PROBE_RATIO,
                description = "Lists past a row's nearest two are searched while within this ratio of its nearest "
                        + "centroid's squared distance (0: all --ivf-probes lists).")
        float ivfProbeRatio;

        @Option(names = "--recall-sample", defaultValue = "200", description = "Rows the recall estimate uses.")
        int recallSample;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the approximate search.")
        long seed;

        @Option(names = "--blocks", description = "Blocks (Spark partitions) the rows are cut into "
                + "(default: the context's default parallelism).")
        Integer blocks;

        @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Reliable checkpoints there "
                + "(on a cluster: a shared file system); without it lineage is cut by local checkpoints.")
        String checkpointDir;

        @Option(names = "--checkpoint-interval", defaultValue = "10", description = "Iterations between checkpoints.")
        int checkpointInterval;

        /** An input that is not there is one line naming the option, before Spark plans anything. */
        private void requireInput(String option, String path) throws java.io.IOException {
            if (path == null) {
                return;
            }
            Path p = new Path(path);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new DataException(option + " " + path + ": no such file or directory");
            }
        }

        @Override
        public Integer call() throws Exception {
            if (approximate != null && !approximate.equals("ivf")) {
                throw new InvalidOptionException("--approximate", "must be ivf on Spark, got " + approximate);
            }
            if (checkpointDir != null) {
                spark.sparkContext().setCheckpointDir(checkpointDir);
            }
            int blockCount = blocks != null ? blocks : spark.sparkContext().defaultParallelism();
            Path target = new Path(output);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) {
                throw new DataException(output + " exists; give a new path for --out");
            }
            requireInput("--features", input.features);
            requireInput("--edges", input.edges);
            requireInput("--labels", labels);
            long start = System.nanoTime();
            SparkGraph graph;
            if (input.features != null) {
                Dataset<Row> rows = Tables.features(spark, input.features, labels);
                KnnGraph.Options options = KnnGraph.Options.defaults().withK(k).withMetric(metric)
                        .withWeights(weighting, sigma, symmetrization == null ? Symmetrization.AVERAGE : symmetrization)
                        .withRecallSample(recallSample)
                        .withSearch(approximate == null ? ExactSearch.INSTANCE : new InvertedFile(
                                InvertedFile.Options.defaults().withSeed(seed).withLists(ivfLists).withProbes(ivfProbes)
                                        .withProbeRatio(ivfProbeRatio)));
                graph = SparkGraph.fromFeatures(rows, options, blockCount);
            } else {
                if (labels == null) {
                    throw new InvalidOptionException("--labels", "is required with --edges");
                }
                graph = SparkGraph.fromEdges(Tables.labels(spark, labels), Tables.edges(spark, input.edges),
                        symmetrization == null ? Symmetrization.NONE : symmetrization, false, blockCount);
            }
            double graphSeconds = (System.nanoTime() - start) / 1e9;
            SparkPropagation.Options run = new SparkPropagation.Options(checkpointInterval);
            SparkPropagation.Result result;
            if (algorithm == Algorithm.SPREADING) {
                LabelSpreading.Options d = LabelSpreading.Options.defaults();
                result = SparkPropagation.spread(graph, new LabelSpreading.Options(alpha == null ? d.alpha() : alpha,
                        tol == null ? d.tol() : tol, maxIter == null ? d.maxIter() : maxIter, d.convergence(),
                        classMassNormalization, momentum), run);
            } else if (alpha != null) {
                throw new InvalidOptionException("--alpha", "applies to spreading only");
            } else if (algorithm == Algorithm.POISSON) {
                if (tol != null) {
                    throw new InvalidOptionException("--tol", "does not apply to poisson, whose steps a random walk sets");
                }
                PoissonLearning.Options d = PoissonLearning.Options.defaults();
                result = SparkPropagation.poisson(graph, new PoissonLearning.Options(minIter == null ? d.minIter() : minIter,
                        maxIter == null ? d.maxIter() : maxIter), run);
            } else {
                LabelPropagation.Options d = LabelPropagation.Options.defaults();
                result = SparkPropagation.propagate(graph, new LabelPropagation.Options(tol == null ? d.tol() : tol,
                        maxIter == null ? d.maxIter() : maxIter, d.convergence(), classMassNormalization), run);
            }
            Tables.writePredictions(result.predictions(), output, fs);
            double[] sec = result.iterationSeconds().clone();
            Arrays.sort(sec);
            out.printf(Locale.ROOT, "%d rows, %d edges in %d blocks; a step moves %.2f rows per row between blocks%s%n",
                    graph.rows(), graph.edges(), graph.blocks(), graph.haloShare(),
                    graph.recall().isPresent() ? String.format(Locale.ROOT, ", recall %.4f", graph.recall().getAsDouble())
                            : "");
            out.printf(Locale.ROOT, "graph %.1f s; %s: %d iterations (%s), median %.3f s, p90 %.3f s per iteration%n",
                    graphSeconds, algorithm.name().toLowerCase(Locale.ROOT), result.iterations(),
                    result.converged() ? "converged" : "limit reached", sec[sec.length / 2],
                    sec[Math.min(sec.length - 1, (int) Math.ceil(0.9 * sec.length) - 1)]);
            out.println("predictions written to " + output);
            result.predictions().unpersist();
            graph.unpersist();
            return 0;
        }
    }
}
