package org.labelprop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Neighbors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labelprop demo}: the main job end to end with nothing to download. Hides all but a few labels per
 * class, builds the kNN graph, spreads the labels and prints the accuracy on the hidden rows next to a
 * 1-nearest-labeled-neighbour baseline, with the time of each stage. Runs on generated data, then on
 * Fashion-MNIST when Debian's dataset-fashion-mnist is installed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label spreading on generated data, and on Fashion-MNIST when it is installed: accuracy "
                + "on the hidden labels and time per stage.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--labels-per-class", defaultValue = "10", description = "Labels kept per class (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--seeds", defaultValue = "3", description = "Label draws to average over (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--fashion-mnist", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Where the Fashion-MNIST IDX files are (default: ${DEFAULT-VALUE}).")
    Path fashionDir;

    @Option(names = "--fashion-mnist-rows", defaultValue = "70000", paramLabel = "N",
            description = "Use the first N of the 70,000 images (default: ${DEFAULT-VALUE}).")
    int fashionRows;

    @Option(names = "--generated-only", description = "Skip Fashion-MNIST even when it is installed.")
    boolean generatedOnly;

    @Mixin
    Engine engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (seeds < 1 || perClass < 1 || fashionRows < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seeds, --labels-per-class and --fashion-mnist-rows must be at least 1");
        }
        try (Engine.Session session = engine.start(err)) {
            Backend backend = session.backend();
            out.println("labelprop demo, backend " + backend.description());

            Stages generatedStages = new Stages();
            Dataset generated = generatedStages.time("generate data", () -> Synthetic.curves(10, 2000, 6, 0.5f, 1));
            run(generated, backend, generatedStages, out);

            if (generatedOnly) {
                return Main.OK;
            }
            if (!FashionMnist.isPresent(fashionDir)) {
                out.println();
                out.println("Fashion-MNIST not found in " + fashionDir + "; install it with "
                        + "'apt-get install dataset-fashion-mnist' to run the real-data part.");
                return Main.OK;
            }
            Stages fashionStages = new Stages();
            Dataset fashion = fashionStages.time("load Fashion-MNIST", () -> FashionMnist.load(fashionDir, fashionRows));
            run(fashion, backend, fashionStages, out);
            return Main.OK;
        }
    }

    private void run(Dataset data, Backend backend, Stages stages, PrintWriter out) throws Exception {
        FloatMatrix x = data.features();
        out.println();
        out.printf("%s: %d rows x %d features, %d labels per class, k = %d, label spreading (alpha 0.99)%n",
                data.name(), x.rows(), x.cols(), perClass, k);
        Progress progress = engine.progress();
        CsrGraph graph = stages.time("kNN graph", () -> KnnGraph.build(backend, x, KnnGraph.Options.defaults().withK(k),
                progress).graph());
        double spreadSum = 0;
        double baselineSum = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            int[] labels = LabelSplit.perClass(data.truth(), perClass, seed);
            int[] hidden = LabelSplit.hidden(labels);
            PropagationResult r = stages.time("label spreading", () -> LabelSpreading.fit(backend, graph,
                    Labels.of(labels, "labels"), LabelSpreading.Options.defaults(), progress));
            double acc = r.prediction().accuracy(data.truth(), hidden);
            double base = stages.time("1-NN baseline", () -> nearestLabeled(backend, x, labels, data.truth(), hidden));
            spreadSum += acc;
            baselineSum += base;
            out.printf("  seed %d: label spreading %.2f%% (%d iterations%s), 1-nearest labeled neighbour %.2f%%%n",
                    seed, 100 * acc, r.iterations(), r.converged() ? ", converged" : ", at the limit", 100 * base);
        }
        out.printf("  mean over %d seeds: label spreading %.2f%%, 1-nearest labeled neighbour %.2f%%%n", seeds,
                100 * spreadSum / seeds, 100 * baselineSum / seeds);
        stages.print(out, "  ");
    }

    /** Accuracy of labelling each hidden row like its nearest labeled row: what the graph must beat. */
    private static double nearestLabeled(Backend backend, FloatMatrix x, int[] labels, int[] truth, int[] hidden) {
        int[] labeled = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] >= 0).toArray();
        // Every row is queried, the labeled ones too (their answers are not counted): a copy of the hidden rows,
        // nearly all of x, took longer than the search.
        Neighbors nb = KnnSearch.query(backend, x.selectRows(labeled), x, 1, Metric.EUCLIDEAN, Progress.NONE);
        int hit = 0;
        for (int q : hidden) {
            if (labels[labeled[nb.neighbor(q, 0)]] == truth[q]) {
                hit++;
            }
        }
        return (double) hit / hidden.length;
    }
}
