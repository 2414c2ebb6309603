package org.labelprop.bench;

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
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;

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
 * the accuracy table). Poisson-MBO, measured by this program at commit 5c80eb6 and removed since, is in
 * docs/benchmarks.md.
 */
public final class FewLabels {
    private static final int[] PER_CLASS = {1, 3, 5, 10};
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
            CsrGraph graph = KnnGraph.build(backend, data.features(), KnnGraph.Options.defaults(), Progress.NONE).graph();
            System.out.printf(Locale.ROOT, "graph: %d rows, %d edges, %.1f s%n%n", graph.rows(), graph.edges(),
                    seconds(t));
            List<Algorithm> algorithms = List.of(
                    new Algorithm("label spreading", (b, g, l) -> LabelSpreading.fit(b, g, l,
                            LabelSpreading.Options.defaults(), Progress.NONE), draws),
                    new Algorithm("Poisson learning", (b, g, l) -> PoissonLearning.fit(b, g, l,
                            PoissonLearning.Options.defaults(), Progress.NONE), draws));
            if (draws > 0) {
                accuracyTable(backend, graph, data.truth(), algorithms);
            }
            activeLearning(backend, graph, data.truth(), alSeeds);
        } finally {
            pool.shutdown();
        }
    }

    private static void accuracyTable(Backend backend, CsrGraph graph, int[] truth, List<Algorithm> algorithms) {
        System.out.println("| labels per class | algorithm | draws | accuracy | with class priors | steps per fit "
                + "| seconds per fit |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int perClass : PER_CLASS) {
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
