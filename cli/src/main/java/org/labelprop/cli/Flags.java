package org.labelprop.cli;

import java.util.Map;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.InvalidOptionException;

/**
 * The command line's spelling of the library's parameters. Core names a bad value by its record component
 * ({@code LabelSpreading.Options.alpha}), as a Java caller typed it; the CLI names the flag its user typed.
 */
final class Flags {
    private static final Map<String, String> FLAG = Map.ofEntries(
            Map.entry("backend", "--backend"),
            Map.entry("KnnGraph.Options.k", "--k"),
            Map.entry("KnnGraph.Options.sigma", "--sigma"),
            Map.entry("KnnGraph.Options.pca", "--pca"),
            Map.entry("KnnGraph.Options.recallSample", "--recall-sample"),
            Map.entry("Pca.dims", "--pca"),
            Map.entry("ImageBlur.shape", "--image"),
            Map.entry("ImageBlur.sigma", "--blur"),
            Map.entry("GraphSelfTraining.Options.share", "--self-training"),
            Map.entry("GraphSelfTraining.Options.rounds", "--self-training"),
            Map.entry("KnnGraph.Options.whitening", "--whiten"),
            Map.entry("InvertedFile.Options.lists", "--ivf-lists"),
            Map.entry("InvertedFile.Options.probes", "--ivf-probes"),
            Map.entry("InvertedFile.Options.probeRatio", "--ivf-probe-ratio"),
            Map.entry("NnDescent.Options.maxRounds", "--nndescent-rounds"),
            Map.entry("NnDescent.Options.sampleRate", "--nndescent-sample-rate"),
            Map.entry("NnDescent.Options.trees", "--nndescent-trees"),
            Map.entry("NnDescent.Options.pool", "--nndescent-pool"),
            Map.entry("LabelSpreading.Options.alpha", "--alpha"),
            Map.entry("LabelSpreading.Options.tol", "--tol"),
            Map.entry("LabelSpreading.Options.maxIter", "--max-iter"),
            Map.entry("LabelPropagation.Options.tol", "--tol"),
            Map.entry("LabelPropagation.Options.maxIter", "--max-iter"),
            Map.entry("PoissonLearning.Options.minIter", "--min-iter"),
            Map.entry("PoissonLearning.Options.maxIter", "--max-iter"),
            Map.entry("ActiveLearning.budget", "--budget"),
            Map.entry("Regression.Options.alpha", "--alpha"),
            Map.entry("Regression.Options.tol", "--tol"),
            Map.entry("Regression.Options.maxIter", "--max-iter"),
            Map.entry("KnnClassifier.Options.k", "--k"),
            Map.entry("LogisticRegression.Options.l2", "--l2"),
            Map.entry("LogisticRegression.Options.tol", "--tol"),
            Map.entry("LogisticRegression.Options.maxIter", "--max-iter"),
            Map.entry("SpreadingClassifier.Options.minConfidence", "--min-confidence"),
            Map.entry("SelfTraining.Options.threshold", "--threshold"),
            Map.entry("SelfTraining.Options.kBest", "--k-best"),
            Map.entry("SelfTraining.Options.maxRounds", "--max-rounds"),
            Map.entry("PseudoLabeling.Options.rounds", "--max-rounds"),
            Map.entry("PseudoLabeling.Options.weight", "--weight"),
            Map.entry("PseudoLabeling.Options.rampRounds", "--ramp-rounds"),
            Map.entry("ScenarioRunner.Options.rows", "--rows"),
            Map.entry("labelprop.cpu.kernels", "-Dlabelprop.cpu.kernels"),
            Map.entry("labelprop.cuda.propagation", "-Dlabelprop.cuda.propagation"));

    private Flags() {
    }

    /** The flag that sets {@code parameter}; the parameter itself when no flag does (or it is a flag already). */
    static String of(String parameter) {
        return FLAG.getOrDefault(parameter, parameter);
    }

    /** The error as the command line's user should read it: the flag, then what was wrong. */
    static String message(InvalidOptionException e) {
        return of(e.parameter()) + " " + e.problem();
    }
}
