package org.labelprop.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.ActiveLearning;
import org.labelprop.core.algo.ClassPriors;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.algo.GraphSelfTraining;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.features.ImageBlur;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;

/**
 * Issue 12's measurements on Fashion-MNIST (pixels in [0, 1], the default exact graph, built once):
 * accuracy on the unlabeled rows at 1, 3, 5 and 10 labels per class, mean and range over 10 label draws
 * (LabelSplit seeds 1-10), for label spreading and Poisson learning, each without and with class priors
 * (the labeled proportions, uniform here); then the active-learning simulation: from 1 label per class, 10
 * rounds of 10 rows suggested by ActiveLearning (label spreading with uniform priors refitted each round, the cheapest fit: the classes
 * are balanced, while the proportions among actively chosen rows are not) against 10 rows drawn at random,
 * seeds 1-3. Prints markdown tables.
 *
 * <p>Run (minutes of CPU): {@code mvn -o -q -B -pl bench -am package -DskipTests} then
 * {@code java --add-modules jdk.incubator.vector -Xmx8g -cp bench/target/benchmarks.jar
 * org.labelprop.bench.FewLabels [rows] [draws] [active-learning seeds]} (defaults 70000 10 3; 0 draws skips
 * the accuracy table, 0 seeds the active learning). Poisson-MBO, measured by this program at commit 5c80eb6
 * and removed since, is in docs/benchmarks.md.
 *
 * <p>System properties vary the setting without a new program (each graph is built once per run, so one run
 * compares algorithms on one graph): {@code -Dfew.k=10}, {@code -Dfew.sym=AVERAGE|MAX|MUTUAL},
 * {@code -Dfew.blur=SIGMA} (Gaussian blur of the 28 x 28 images before the PCA, in pixels; absent: none),
 * {@code -Dfew.pca=0} (dimensions, 0 none), {@code -Dfew.whiten=0} (PCA whitening power, 0 to 0.5),
 * {@code -Dfew.metric=EUCLIDEAN|COSINE}, {@code -Dfew.perClass=1,3,5,10},
 * and {@code -Dfew.algorithms=spreading,poisson,selftrain@spreading@1@1}, a comma list of: {@code spreading} or
 * {@code spreading@ALPHA} (class mass normalization on) or {@code spreading@ALPHA@plain} (off);
 * {@code poisson} (defaults) or {@code poisson@STEPS} (exactly that many steps, e.g. near the exact solve);
 * and {@code selftrain@ALGORITHM@SHARE@ROUNDS} (ALGORITHM spreading or poisson, defaults): self-training, each
 * round adds as labels the SHARE (e.g. 1, every row) of each class's predicted rows it is surest of, after class priors
 * (core's {@link GraphSelfTraining}).
 */
public final class FewLabels {
    private static final int ROUNDS = 10;
    private static final int BATCH = 10;

    private FewLabels() {
    }

    /** One algorithm as the table names it, measured on the first {@code draws} label draws. */
    private record Algorithm(String name, Fitter fitter, int draws) {
    }

    @FunctionalInterface
    private interface Fitter {
        PropagationResult fit(Backend backend, CsrGraph graph, Labels labels);
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 70_000;
        int draws = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int alSeeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try (Backend backend = Backends.select(null, pool, System.out::println)) {
            System.out.println("backend " + backend.description());
            Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, rows);
            long t = System.nanoTime();
            KnnGraph.Options graphOptions = graphOptions();
            CsrGraph graph = KnnGraph.build(backend, data.features(), graphOptions, Progress.NONE).graph();
            System.out.printf(Locale.ROOT,
                    "graph: k %d, %s, %s, blur %s, pca %d, whitening %.2f: %d rows, %d edges, %.1f s%n%n",
                    graphOptions.k(), graphOptions.metric(), graphOptions.symmetrization(),
                    graphOptions.blur() == null ? "none" : graphOptions.blur().sigma(), graphOptions.pca(),
                    graphOptions.whitening(),
                    graph.rows(), graph.edges(), seconds(t));
            List<Algorithm> algorithms = new ArrayList<>();
            for (String spec : System.getProperty("few.algorithms", "spreading,poisson,selftrain@spreading@1@1").split(",")) {
                algorithms.add(algorithm(spec.trim(), draws));
            }
            if (draws > 0) {
                accuracyTable(backend, graph, data.truth(), algorithms, perClass());
            }
            if (alSeeds > 0) {
                activeLearning(backend, graph, data.truth(), alSeeds);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The graph the properties describe; KnnGraph's defaults where they say nothing. */
    private static KnnGraph.Options graphOptions() {
        KnnGraph.Options o = KnnGraph.Options.defaults();
        o = o.withK(Integer.getInteger("few.k", o.k()));
        o = o.withSymmetrization(Symmetrization.valueOf(System.getProperty("few.sym", o.symmetrization().name())));
        o = o.withPca(Integer.getInteger("few.pca", o.pca()));
        o = o.withWhitening(Float.parseFloat(System.getProperty("few.whiten", "0")));
        String blur = System.getProperty("few.blur");
        if (blur != null) {
            o = o.withBlur(new ImageBlur(FashionMnist.SIDE, FashionMnist.SIDE, 1, Double.parseDouble(blur)));
        }
        return o.withMetric(Metric.valueOf(System.getProperty("few.metric", o.metric().name())));
    }

    private static int[] perClass() {
        return Arrays.stream(System.getProperty("few.perClass", "1,3,5,10").split(","))
                .mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    }

    /** One entry of {@code few.algorithms}; see the class comment. */
    private static Algorithm algorithm(String spec, int draws) {
        String[] part = spec.split("@");
        switch (part[0]) {
            case "spreading": {
                LabelSpreading.Options o = LabelSpreading.Options.defaults();
                if (part.length > 1) {
                    o = o.withAlpha(Float.parseFloat(part[1]));
                }
                if (part.length > 2) {
                    if (!part[2].equals("plain")) {
                        throw new IllegalArgumentException("few.algorithms: " + spec
                                + ": the third part may only be plain");
                    }
                    o = o.withClassMassNormalization(false);
                }
                LabelSpreading.Options options = o;
                String name = part.length == 1 ? "label spreading" : "label spreading, alpha " + part[1]
                        + (options.classMassNormalization() ? "" : ", no class mass normalization");
                return new Algorithm(name, (b, g, l) -> LabelSpreading.fit(b, g, l, options, Progress.NONE), draws);
            }
            case "poisson": {
                PoissonLearning.Options options = part.length == 1 ? PoissonLearning.Options.defaults()
                        : new PoissonLearning.Options(Integer.parseInt(part[1]), Integer.parseInt(part[1]));
                String name = part.length == 1 ? "Poisson learning" : "Poisson learning, " + part[1] + " steps";
                return new Algorithm(name, (b, g, l) -> PoissonLearning.fit(b, g, l, options, Progress.NONE), draws);
            }
            case "selftrain": {
                Algorithm base = algorithm(part[1], draws);
                double share = Double.parseDouble(part[2]);
                int rounds = Integer.parseInt(part[3]);
                return new Algorithm(base.name() + ", self-training " + share + " x " + rounds,
                        (b, g, l) -> GraphSelfTraining.fit(b, g, l,
                                (b2, g2, l2, p) -> base.fitter().fit(b2, g2, l2),
                                new GraphSelfTraining.Options(share, rounds, ClassPriors.LABELED), Progress.NONE),
                        draws);
            }
            default:
                throw new IllegalArgumentException("few.algorithms: unknown algorithm " + spec
                        + " (spreading[@alpha[@plain]], poisson[@steps], selftrain@ALGORITHM@SHARE@ROUNDS)");
        }
    }

    private static void accuracyTable(Backend backend, CsrGraph graph, int[] truth, List<Algorithm> algorithms,
                                      int[] perClasses) {
        System.out.println("| labels per class | algorithm | draws | accuracy | with class priors | steps per fit "
                + "| seconds per fit |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int perClass : perClasses) {
            for (Algorithm a : algorithms) {
                double[] plain = new double[a.draws()];
                double[] priors = new double[a.draws()];
                long steps = 0;
                long t = System.nanoTime();
                for (int d = 0; d < a.draws(); d++) {
                    int[] y = LabelSplit.perClass(truth, perClass, d + 1);
                    int[] hidden = LabelSplit.hidden(y);
                    Labels labels = Labels.of(y, "split");
                    PropagationResult r = a.fitter().fit(backend, graph, labels);
                    steps += r.iterations();
                    plain[d] = r.prediction().accuracy(truth, hidden);
                    priors[d] = ClassPriors.LABELED.apply(r.prediction(), labels).accuracy(truth, hidden);
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %s | %s | %d | %.1f |%n", perClass, a.name(),
                        a.draws(), summary(plain), summary(priors), steps / a.draws(), seconds(t) / a.draws());
            }
        }
        System.out.println();
    }

    /** Accuracy after each round, suggested rows against random rows, averaged over the seeds. */
    private static void activeLearning(Backend backend, CsrGraph graph, int[] truth, int seeds) {
        double[][] suggested = new double[seeds][];
        double[][] random = new double[seeds][];
        long t = System.nanoTime();
        for (int s = 0; s < seeds; s++) {
            suggested[s] = curve(backend, graph, truth, s + 1, null);
            random[s] = curve(backend, graph, truth, s + 1, new SplittableRandom(s + 1));
        }
        System.out.printf(Locale.ROOT, "active learning: %d seeds in %.1f s%n%n", seeds, seconds(t));
        System.out.println("| labels | suggested rows | random rows |");
        System.out.println("|---|---|---|");
        for (int r = 0; r <= ROUNDS; r++) {
            double[] a = new double[seeds];
            double[] b = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                a[s] = suggested[s][r];
                b[s] = random[s][r];
            }
            System.out.printf(Locale.ROOT, "| %d | %s | %s |%n", 10 + r * BATCH, summary(a), summary(b));
        }
    }

    /** Label spreading with uniform priors after each round; suggested rows where {@code random} is null. */
    private static double[] curve(Backend backend, CsrGraph graph, int[] truth, long seed, SplittableRandom random) {
        int[] known = LabelSplit.perClass(truth, 1, seed);
        double[] accuracy = new double[ROUNDS + 1];
        for (int round = 0; ; round++) {
            Labels labels = Labels.of(known, "labels");
            Prediction p = ClassPriors.UNIFORM.apply(LabelSpreading.fit(backend, graph, labels,
                    LabelSpreading.Options.defaults(), Progress.NONE).prediction(), labels);
            accuracy[round] = p.accuracy(truth, LabelSplit.hidden(known));
            if (round == ROUNDS) {
                return accuracy;
            }
            int[] next = random == null ? ActiveLearning.suggest(graph, labels, p, BATCH)
                    : random.ints(0, truth.length).filter(i -> known[i] < 0).distinct().limit(BATCH).toArray();
            for (int r : next) {
                known[r] = truth[r];
            }
        }
    }

    /** "mean% (min-max)" over the draws. */
    private static String summary(double[] a) {
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : a) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return String.format(Locale.ROOT, "%.2f%% (%.1f-%.1f)", 100 * sum / a.length, 100 * min, 100 * max);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
