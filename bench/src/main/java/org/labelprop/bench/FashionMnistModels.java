package org.labelprop.bench;

import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.data.Dataset;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.data.LabelSplit;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.model.Fit;
import org.labelprop.core.model.LabelingResult;
import org.labelprop.core.model.LogisticModel;
import org.labelprop.core.model.LogisticRegression;
import org.labelprop.core.model.Model;
import org.labelprop.core.model.PseudoLabeling;
import org.labelprop.core.model.Round;
import org.labelprop.core.model.SelfTraining;
import org.labelprop.core.model.SpreadingClassifier;
import org.labelprop.core.model.TrainingSet;

/**
 * The Fashion-MNIST comparison, run by hand (not a unit test: minutes of CPU): 100 labels per class
 * (LabelSplit seed 1), accuracy on the other 69,000 rows and wall time of supervised logistic regression,
 * pseudo-labeling, self-training with and without balance, label spreading, and spreading followed by
 * logistic regression. Writes the split to args[0] so scikit-learn can be run on the same rows.
 * Run from the shaded jar: java --add-modules jdk.incubator.vector -Xmx8g -cp bench/target/benchmarks.jar
 * org.labelprop.bench.FashionMnistModels /tmp/split.npy, then bench/scripts/sklearn_self_training.py on it.
 */
public final class FashionMnistModels {
    private FashionMnistModels() {
    }

    public static void main(String[] args) throws Exception {
        Path splitOut = Path.of(args.length > 0 ? args[0] : "fashion-split.npy");
        int threads = Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(threads);
        Backend backend = Backends.select(null, pool, System.out::println);
        System.out.println("backend " + backend.description());
        Dataset data = FashionMnist.load(FashionMnist.DEFAULT_DIR, 70_000);
        FloatMatrix x = data.features();
        int[] truth = data.truth();
        int[] y = LabelSplit.perClass(truth, 100, 1);
        NpyFile.writeInts(splitOut, y);
        int[] hidden = LabelSplit.hidden(y);
        Labels labels = Labels.of(y, "split");
        LogisticRegression logistic = new LogisticRegression(LogisticRegression.Options.defaults());

        if (args.length < 2 || !args[1].equals("graph-only")) {
            runLoops(x, truth, hidden, labels, logistic, backend);
        }

        long t = System.nanoTime();
        CsrGraph graph = KnnGraph.build(backend, x, KnnGraph.Options.defaults(), Progress.NONE).graph();
        double graphSeconds = (System.nanoTime() - t) / 1e9;
        System.out.printf("kNN graph (k 10, exact): %.1f s%n", graphSeconds);
        t = System.nanoTime();
        PropagationResult spread = LabelSpreading.fit(backend, graph, labels, LabelSpreading.Options.defaults(),
                Progress.NONE);
        report("label spreading (graph time excluded)", spread.prediction(), truth, hidden, t, null);

        t = System.nanoTime();
        SpreadingClassifier then = new SpreadingClassifier(graph, SpreadingClassifier.Options.defaults(), logistic);
        Model model = then.fit(backend, TrainingSet.of(x, labels));
        report("spreading then logistic regression (graph time excluded)", model.predict(backend, x), truth, hidden,
                t, null);
        pool.shutdown();
    }

    /** Supervised logistic regression, pseudo-labeling, self-training with and without balance. */
    private static void runLoops(FloatMatrix x, int[] truth, int[] hidden, Labels labels, LogisticRegression logistic,
                                 Backend backend) {
        long t = System.nanoTime();
        LabelingResult supervised = SelfTraining.fit(backend, x, labels, null, logistic,
                SelfTraining.Options.defaults().withMaxRounds(0));
        report("supervised logistic regression", supervised.prediction(), truth, hidden, t, supervised);

        t = System.nanoTime();
        LabelingResult pseudo = PseudoLabeling.fit(backend, x, labels, null, logistic,
                PseudoLabeling.Options.defaults());
        report("pseudo-labeling (5 rounds, weight 1)", pseudo.prediction(), truth, hidden, t, pseudo);

        for (boolean balance : new boolean[] {false, true}) {
            t = System.nanoTime();
            LabelingResult self = SelfTraining.fit(backend, x, labels, null, logistic,
                    SelfTraining.Options.threshold(0.8).withBalance(balance));
            report("self-training (0.8, 10 rounds" + (balance ? ", balance)" : ")"), self.prediction(), truth,
                    hidden, t, self);
            for (Round r : self.history()) {
                System.out.printf("    round %d: +%d -> %d labeled, %.1f s%n", r.round(), r.changed(), r.labeled(),
                        r.seconds());
            }
        }

    }

    private static void report(String what, Prediction predicted, int[] truth, int[] hidden, long t0,
                               LabelingResult r) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-60s accuracy %.2f%%  %7.1f s%s%n", what, 100 * predicted.accuracy(truth, hidden),
                seconds, r == null ? "" : "  (" + r.pseudoLabeled() + " pseudo-labeled, stop " + r.stop() + ", "
                        + (r.fit() instanceof Fit.Inductive f && f.model() instanceof LogisticModel m
                                ? m.iterations() + " L-BFGS iterations in the last fit" : "") + ")");
    }
}
