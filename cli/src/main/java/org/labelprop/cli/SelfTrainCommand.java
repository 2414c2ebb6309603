package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.labelprop.core.model.SelfTraining;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labelprop self-train}: grow the labeled set with the base model's confident predictions. */
@Command(name = "self-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Self-training: fit the base model on the labeled rows, accept its confident predictions as "
                + "labels, refit, repeat; write the final model's predictions for every row.")
final class SelfTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LoopInput io;

    @ArgGroup(exclusive = true)
    Criterion criterion;

    static final class Criterion {
        @Option(names = "--threshold", paramLabel = "T",
                description = "Accept predictions whose probability is above T, in [0, 1) (the default, 0.8).")
        Double threshold;

        @Option(names = "--k-best", paramLabel = "K", description = "Accept the K most confident predictions per round.")
        Integer kBest;
    }

    @Option(names = "--max-rounds", defaultValue = "10", paramLabel = "R", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--balance",
            description = "Accept per class in proportion to the labeled class frequencies, against pseudo-label bias.")
    boolean balance;

    @Mixin
    ModelOptions model;

    @Mixin
    Engine engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SelfTraining.Options base = criterion != null && criterion.kBest != null
                ? SelfTraining.Options.kBest(criterion.kBest)
                : SelfTraining.Options.threshold(criterion != null && criterion.threshold != null ? criterion.threshold : 0.8);
        SelfTraining.Options options = base.withMaxRounds(maxRounds).withBalance(balance);
        return io.run("self-training", engine, err, model.json(options),
                backend -> SelfTraining.fit(backend, io.x, io.known, io.held, model.classifier(backend, io.x),
                        options));
    }
}
