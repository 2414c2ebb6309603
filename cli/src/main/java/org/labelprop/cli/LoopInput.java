package org.labelprop.cli;

import com.google.gson.JsonObject;
import org.labelprop.core.backend.Backend;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Label;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.io.FeatureReader;
import org.labelprop.core.io.LabelFile;
import org.labelprop.core.io.LabelReader;
import org.labelprop.core.io.OutputSet;
import org.labelprop.core.io.PredictionWriter;
import org.labelprop.core.model.LabelingResult;
import org.labelprop.core.model.Model;
import org.labelprop.core.model.ModelFile;
import org.labelprop.core.model.Round;
import picocli.CommandLine.Option;

/**
 * Inputs and outputs {@code self-train} and {@code pseudo-label} share: features, labels, validation,
 * predictions, the per-round history and the saved model. A picocli mixin.
 */
final class LoopInput {
    @Option(names = "--features", required = true, paramLabel = "F",
            description = "Feature matrix: .csv/.tsv/.txt, .npy or IDX; - reads standard input.")
    Path features;

    @Option(names = "--labels", required = true, paramLabel = "L",
            description = "One label per row (-1 or empty: unlabeled): .csv/.txt, .npy or IDX; - reads standard "
                    + "input. Text labels may be class names (cat, ankle boot): outputs then name the classes.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "O",
            description = "Predictions of the final model for every row: CSV (row,label,confidence[,p_<class>...]), "
                    + "or .npy when O ends in .npy; - writes CSV to standard output.")
    Path out;

    @Option(names = "--probabilities", description = "Also write each class's probability.")
    boolean probabilities;

    @Option(names = "--validation", paramLabel = "V",
            description = "Held-out true labels, one per row (-1 or empty elsewhere), numbers or the labels' class "
                    + "names: each round's accuracy on them goes into the history.")
    Path validation;

    @Option(names = "--history", paramLabel = "H", description = "Write the per-round history here as CSV.")
    Path history;

    @Option(names = "--model-out", paramLabel = "M", description = "Save the final model for 'labelprop predict'.")
    Path modelOut;

    @Option(names = "--json", paramLabel = "J",
            description = "Write a machine-readable summary of the run here (- for standard output): input sizes, "
                    + "the options used, backend, stage times, rounds, predicted class counts and confidence.")
    Path json;

    FloatMatrix x;
    Labels known;
    /** What the labels are called. */
    ClassNames names;
    int[] held;
    /** The rows unlabeled in --labels, whose predictions the summary describes. */
    int[] unlabeled;

    /** A loop to run on the inputs once read: self-training or pseudo-labeling with the chosen model. */
    interface Fit {
        LabelingResult fit(Backend backend);
    }

    /**
     * The whole command: read the inputs, run {@code fit} on the engine's backend as the stage named
     * {@code stage}, write the outputs and print the time of each stage.
     */
    int run(String stage, Engine engine, PrintWriter err, JsonObject options, Fit fit) throws Exception {
        StandardInput stdin = StandardInput.of(System.in).input("--features", features).input("--labels", labels)
                .input("--validation", validation);
        try (stdin) {
            return run(stage, engine, err, options, fit, stdin);
        } catch (RuntimeException e) {
            throw stdin.rename(e);
        }
    }

    private int run(String stage, Engine engine, PrintWriter err, JsonObject options, Fit fit, StandardInput stdin)
            throws Exception {
        Stages stages = new Stages();
        try (OutputSet outputs = new OutputSet(System.out).input("--features", features).input("--labels", labels)
                .input("--validation", validation).add("--out", out).add("--history", history)
                .add("--model-out", modelOut).add("--json", json)) {
            read(stages, stdin);
            try (Engine.Session session = engine.start(err)) {
                LabelingResult r = stages.time(stage, () -> fit.fit(session.backend()));
                prepare(r, session.backend(), outputs, stages);
                if (json != null) {
                    outputs.content("--json", summary(engine, session.backend(), options, r, stages)::write);
                }
                write(r, outputs, stages, err);
            }
        }
        engine.printStages(stages, err);
        return Main.OK;
    }

    private void read(Stages stages, StandardInput stdin) throws Exception {
        x = stages.time("read features", () -> FeatureReader.read(stdin.path(features)));
        LabelFile read = stages.time("read labels", () -> LabelReader.readNamed(stdin.path(labels)));
        int[] raw = read.labels();
        if (raw.length != x.rows()) {
            throw new DataException(features + " has " + x.rows() + " rows but " + labels + " has " + raw.length
                    + read.rowCountHint(x.rows()) + "; give one label (or -1) per row");
        }
        names = read.names();
        known = Labels.of(raw, labels.toString()).withNames(names);
        unlabeled = Label.unlabeledRows(raw);
        held = validation == null ? null
                : stages.time("read validation", () -> LabelReader.read(stdin.path(validation), names));
    }

    /** The --json summary, with stage times up to writing the outputs (the summary is one of them). */
    private JsonSummary summary(Engine engine, Backend backend, JsonObject options, LabelingResult r, Stages stages)
            throws IOException {
        JsonSummary s = new JsonSummary(engine.command.name());
        JsonObject in = new JsonObject();
        in.addProperty("rows", x.rows());
        in.addProperty("features", x.cols());
        in.addProperty("labeled", known.labeledCount());
        in.addProperty("classes", known.classCount());
        in.add("class_names", JsonSummary.classNames(names));
        s.put("input", in).put("options", options).put("backend", backend.name());
        s.put("rounds", r.history().size() - 1).put("pseudo_labeled", r.pseudoLabeled())
                .put("stopped", Choice.spell(r.stop()));
        s.put("validation_accuracy", r.history().get(r.history().size() - 1).validationAccuracy());
        s.put("prediction", JsonSummary.prediction(r.prediction(), unlabeled, names));
        s.put("stages", JsonSummary.stages(stages));
        return s;
    }

    /** The contents of --out, --history and --model-out (fitting the model for new rows). */
    private void prepare(LabelingResult r, Backend backend, OutputSet outputs, Stages stages) throws Exception {
        outputs.content("--out", PredictionWriter.content(out, r.prediction().label(), r.prediction().confidence(),
                r.prediction().classes(), probabilities ? r.prediction().distribution() : null, names));
        if (history != null) {
            outputs.content("--history", stream -> writeHistory(stream, r, names.names(known.classes())));
        }
        if (modelOut != null) {
            Model model = stages.time("model for new rows", () -> r.fit().modelForNewRows(backend));
            outputs.content("--model-out", stream -> ModelFile.write(stream, model, names));
        }
    }

    /** Writes every output and prints the run's summary. */
    private void write(LabelingResult r, OutputSet outputs, Stages stages, PrintWriter err) throws Exception {
        stages.time("write outputs", () -> {
            outputs.commit();
            return null;
        });
        err.printf("labelprop: %d rows (%d labeled, %d classes): %d rows pseudo-labeled in %d rounds, stopped: %s%n",
                x.rows(), known.labeledCount(), known.classCount(), r.pseudoLabeled(), r.history().size() - 1,
                Choice.spell(r.stop()));
        Round last = r.history().get(r.history().size() - 1);
        if (!Double.isNaN(last.validationAccuracy())) {
            err.printf("labelprop: validation accuracy %.2f%% (round 0: %.2f%%)%n", 100 * last.validationAccuracy(),
                    100 * r.history().get(0).validationAccuracy());
        }
    }

    /** round,changed,labeled,weight,validation_accuracy,seconds,n_<class>... ; empty accuracy without validation. */
    static void writeHistory(OutputStream stream, LabelingResult r, String[] classes) throws IOException {
        Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder("round,changed,labeled,weight,validation_accuracy,seconds");
        for (String c : classes) {
            line.append(",n_").append(c);
        }
        w.append(line).append('\n');
        for (Round h : r.history()) {
            line.setLength(0);
            line.append(h.round()).append(',').append(h.changed()).append(',').append(h.labeled()).append(',')
                    .append(h.weight()).append(',')
                    .append(Double.isNaN(h.validationAccuracy()) ? "" : Double.toString(h.validationAccuracy()))
                    .append(',').append(String.format(java.util.Locale.ROOT, "%.3f", h.seconds()));
            for (int n : h.perClass()) {
                line.append(',').append(n);
            }
            w.append(line).append('\n');
        }
        w.flush();
    }
}
