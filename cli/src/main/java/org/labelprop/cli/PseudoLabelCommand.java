package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.labelprop.core.model.PseudoLabeling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labelprop pseudo-label}: refit on every row, the unlabeled ones with the model's own labels. */
@Command(name = "pseudo-label", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pseudo-labeling: fit the base model on the labeled rows, label every other row with its "
                + "predictions, refit on all rows with the pseudo-labeled ones weighted, repeat.")
final class PseudoLabelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LoopInput io;

    @Option(names = "--max-rounds", defaultValue = "5", paramLabel = "R", description = "Refits on pseudo-labels (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--weight", defaultValue = "1", paramLabel = "W",
            description = "Weight of a pseudo-labeled row; labeled rows weigh 1 (default: ${DEFAULT-VALUE}).")
    float weight;

    @Option(names = "--ramp-rounds", defaultValue = "0", paramLabel = "N",
            description = "Raise the weight linearly to W over N rounds; 0: full weight from the start (default: ${DEFAULT-VALUE}).")
    int rampRounds;

    @Option(names = "--fixed", description = "Keep the first round's pseudo-labels instead of re-predicting them each round.")
    boolean fixed;

    @Mixin
    ModelOptions model;

    @Mixin
    Engine engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PseudoLabeling.Options options = new PseudoLabeling.Options(rounds, weight, rampRounds, !fixed);
        return io.run("pseudo-labeling", engine, err, model.json(options),
                backend -> PseudoLabeling.fit(backend, io.x, io.known, io.held, model.classifier(backend, io.x),
                        options));
    }
}
