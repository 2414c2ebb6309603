package org.labelprop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.io.FeatureReader;
import org.labelprop.core.io.OutputSet;
import org.labelprop.core.io.PredictionWriter;
import org.labelprop.core.model.Model;
import org.labelprop.core.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labelprop predict}: classify rows with a model saved by {@code self-train}, {@code pseudo-label} or
 * {@code propagate}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify rows with a saved model (--model-out of self-train, pseudo-label or propagate).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "A model file saved with --model-out.")
    Path modelFile;

    @Option(names = "--features", required = true, paramLabel = "F",
            description = "Rows to classify: .csv/.tsv/.txt, .npy or IDX; - reads standard input.")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "O",
            description = "Predictions: CSV (row,label,confidence[,p_<class>...]), the model's class names in the "
                    + "label column when it was trained on names, or .npy when O ends in .npy; - writes CSV to "
                    + "standard output.")
    Path out;

    @Option(names = "--probabilities", description = "Also write each class's probability.")
    boolean probabilities;

    @Mixin
    Engine engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Stages stages = new Stages();
        StandardInput stdin = StandardInput.of(System.in).input("--model", modelFile).input("--features", features);
        try (stdin; OutputSet outputs = new OutputSet(System.out).input("--model", modelFile).input("--features", features)
                .add("--out", out)) {
            return run(err, stages, outputs, stdin);
        } catch (RuntimeException e) {
            throw stdin.rename(e);
        }
    }

    private int run(PrintWriter err, Stages stages, OutputSet outputs, StandardInput stdin) throws Exception {
        ModelFile.Saved saved = stages.time("read model", () -> ModelFile.readNamed(stdin.path(modelFile)));
        Model model = saved.model();
        FloatMatrix x = stages.time("read features", () -> FeatureReader.read(stdin.path(features)));
        if (x.cols() != model.features()) {
            throw new DataException(features + " has " + x.cols() + " features per row but the model " + modelFile
                    + " was trained on " + model.features());
        }
        try (Engine.Session session = engine.start(err)) {
            Prediction p = stages.time("predict", () -> model.predict(session.backend(), x));
            outputs.content("--out", PredictionWriter.content(out, p.label(), p.confidence(), p.classes(),
                    probabilities ? p.distribution() : null, saved.names()));
            stages.time("write predictions", () -> {
                outputs.commit();
                return null;
            });
        }
        err.printf("labelprop: %d rows classified by %s%n", x.rows(), modelFile);
        engine.printStages(stages, err);
        return Main.OK;
    }
}
