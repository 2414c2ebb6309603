package org.labelprop.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.Evaluation;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Label;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.ClassPriors;
import org.labelprop.core.algo.GraphSelfTraining;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.algo.PropagationResult;
import org.labelprop.core.algo.Regression;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.features.ImageBlur;
import org.labelprop.core.features.Pca;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.GraphFile;
import org.labelprop.core.search.Metric;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.NeighborSearch;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.NnDescent;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.io.ClassPriorReader;
import org.labelprop.core.io.EdgeList;
import org.labelprop.core.io.EdgeListReader;
import org.labelprop.core.io.FeatureReader;
import org.labelprop.core.io.LabelFile;
import org.labelprop.core.io.LabelReader;
import org.labelprop.core.io.OutputSet;
import org.labelprop.core.io.PredictionWriter;
import org.labelprop.core.model.InductiveModel;
import org.labelprop.core.model.ModelFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code labelprop propagate}: build or load a graph, propagate the known labels, write predictions. */
@Command(name = "propagate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the unlabeled rows by propagating the known labels over a kNN graph of the "
                + "features (or over a graph you give).",
        footer = StandardInput.HELP)
class PropagateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--features", paramLabel = "F",
                description = "Feature matrix: .csv/.tsv/.txt, .npy or IDX; - reads standard input.")
        Path features;

        @Option(names = "--edges", paramLabel = "E",
                description = "A graph as an edge list (src,dst[,weight] lines or an .npy of 2 or 3 columns) "
                        + "over the label file's rows.")
        Path edges;

        @Option(names = "--graph-in", paramLabel = "G", description = "A graph saved earlier with --graph-out.")
        Path graphIn;
    }

    @Option(names = "--labels", required = true, paramLabel = "L",
            description = "One label per row (-1 or empty: unlabeled): .csv/.txt, .npy or IDX; - reads standard "
                    + "input. Text labels may be class names (cat, ankle boot): outputs then name the classes.")
    Path labels;

    @Option(names = "--label-confidence", paramLabel = "C",
            description = "Soft labels: one confidence in (0, 1] per row (read for labeled rows only), by which each "
                    + "label counts in every algorithm.")
    Path labelConfidence;

    @Option(names = "--out", required = true, paramLabel = "O",
            description = "Predictions: CSV (row,label,confidence[,p_<class>...]), or .npy when O ends in .npy; "
                    + "- writes CSV to standard output.")
    Path out;

    @Option(names = "--report", paramLabel = "R",
            description = "Write a self-contained HTML page here (inline SVG, nothing fetched): the convergence "
                    + "curve, class shares labeled and predicted, the confidence histogram, the confusion matrix "
                    + "with --truth, and " + HtmlReport.PROJECTED_ROWS + " rows (chosen by --seed) projected on "
                    + "two principal components, coloured by prediction.")
    Path report;

    @Option(names = "--truth", paramLabel = "T",
            description = "True labels, one per row (-1 or empty: not scored), numbers or the labels' class names: "
                    + "print accuracy, each class's precision, recall and F1, and the confusion matrix over the rows "
                    + "that were unlabeled.")
    Path truth;

    @Option(names = "--probabilities", description = "Also write each class's probability.")
    boolean probabilities;

    @Option(names = "--json", paramLabel = "J",
            description = "Write a machine-readable summary of the run here (- for standard output): input sizes, "
                    + "the options used, backend, stage times, iterations, predicted class counts, confidence and, "
                    + "with --truth, the evaluation.")
    Path json;

    @Option(names = "--graph-out", paramLabel = "G", description = "Save the graph, to reuse with --graph-in.")
    Path graphOut;

    @Option(names = "--model-out", paramLabel = "M",
            description = "Save what 'labelprop predict' needs to label new rows later: the training rows with their "
                    + "predicted distributions and the graph's --k, --metric and --weights (a new row takes the "
                    + "weighted vote of its k nearest training rows). Needs --features.")
    Path modelOut;

    @Option(names = "--algorithm", defaultValue = "spreading", converter = Choice.AlgorithmChoice.class,
            description = "spreading, propagation or poisson (Poisson learning, for very few labels per class) "
                    + "(default: ${DEFAULT-VALUE}).")
    Choice.Algorithm algorithm;

    @Option(names = "--self-training", arity = "0..1", fallbackValue = "", paramLabel = "SHARE,ROUNDS",
            description = "Self-training around the algorithm, for few labels per class: after each fit, the "
                    + "SHARE of each class's predicted rows it is surest of (after --class-priors, else the labeled "
                    + "proportions) join the labels, ROUNDS times. Without a value 1,1: every row takes the first "
                    + "fit's decision and the algorithm spreads those labels again; on Fashion-MNIST it raised "
                    + "spreading with class priors by 0.9-1.4 points at 1 to 10 labels per class, docs/benchmarks.md.")
    String selfTraining;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "euclidean", converter = Choice.MetricChoice.class,
            description = "euclidean or cosine (default: ${DEFAULT-VALUE}).")
    Metric metric;

    @Option(names = "--weights", defaultValue = "self-tuning", converter = Choice.WeightingChoice.class,
            description = "self-tuning, gaussian or binary (default: ${DEFAULT-VALUE}).")
    Weighting weighting;

    @Option(names = "--sigma", defaultValue = "1", description = "Bandwidth of gaussian weights.")
    float sigma;

    @Option(names = "--symmetrize", converter = Choice.SymmetrizationChoice.class,
            description = "average, max, mutual or none (default: average for kNN graphs; max for --edges, "
                    + "so an edge listed once counts in both directions).")
    Symmetrization symmetrization;

    @Option(names = "--alpha", description = "Spreading's alpha in (0, 1) (default: 0.99; 0.2 with --preset sklearn).")
    Float alpha;

    @Option(names = "--tol", description = "Stop when a step changes Y by less than this fraction of its mass (default: 1e-5; with --preset sklearn, 1e-3 on the total change).")
    Double tol;

    @Option(names = "--max-iter", description = "Iteration limit (default: 1000; with --preset sklearn, 30 for "
            + "spreading as scikit-learn).")
    Integer maxIter;

    @Option(names = "--min-iter", description = "Poisson: steps taken even when the random walk from the labeled "
            + "rows has mixed sooner (default: 50).")
    Integer minIter;

    @Option(names = "--momentum", negatable = true,
            description = "Spreading: second-order steps on a symmetric graph, the same result in several times "
                    + "fewer steps (default: on; off with --preset sklearn).")
    Boolean momentum;

    @Option(names = "--class-mass-normalization", negatable = true,
            description = "Rescale classes to the labeled class proportions at the end (default: on; off with "
                    + "--preset sklearn).")
    Boolean classMassNormalization;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T",
            description = "classification, or regression: the labels are real numbers (empty or NaN unknown), "
                    + "extended by Laplace learning (--algorithm propagation) or spreading, and --out gets "
                    + "row,value,reliability (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--class-priors", paramLabel = "P",
            description = "Final decision: rescale class scores so the predicted class sizes match priors: uniform, "
                    + "labeled (the labeled rows' proportions) or a file of label,prior lines summing to 1 (the "
                    + "label a class name when the labels are names).")
    String classPriors;

    @Option(names = "--image", paramLabel = "HxW[xC]",
            description = "The feature rows are images of this shape (row-major, channels interleaved per pixel), "
                    + "e.g. 28x28 or 32x32x3; needed by --blur.")
    String image;

    @Option(names = "--blur", paramLabel = "SIGMA",
            description = "With --image: smooth each image with a Gaussian of SIGMA pixels before the PCA and "
                    + "the graph; 1 raised accuracy at 1 label per class on Fashion-MNIST (docs/benchmarks.md).")
    Double blur;

    @Option(names = "--pca", paramLabel = "DIMS",
            description = "Project the features on their top DIMS principal components (randomized SVD) before "
                    + "building the graph.")
    Integer pca;

    @Option(names = "--whiten", paramLabel = "POWER",
            description = "With --pca: divide each principal coordinate by its variance to POWER, between 0 (plain "
                    + "PCA) and 0.5 (full whitening); 0.25 raised accuracy at few labels on Fashion-MNIST "
                    + "(docs/benchmarks.md).")
    Float whiten;

    @Option(names = "--approximate", arity = "0..1", fallbackValue = "ivf", paramLabel = "METHOD",
            description = "Build the kNN graph approximately instead of by exact search, and report its recall: "
                    + "ivf (an inverted file: exact search within the nearest k-means lists; the default METHOD) "
                    + "or nndescent (NN-Descent).")
    String approximate;

    @Option(names = "--ivf-lists", defaultValue = "0", paramLabel = "L",
            description = "With --approximate ivf, k-means lists (default: the square root of the row count).")
    int ivfLists;

    @Option(names = "--ivf-probes", defaultValue = "" + InvertedFile.Options.DEFAULT_PROBES, paramLabel = "P",
            description = "With --approximate ivf, the most lists searched per row, nearest first: more is slower, "
                    + "more accurate (default: ${DEFAULT-VALUE}).")
    int ivfProbes;

    @Option(names = "--ivf-probe-ratio", defaultValue = "" + InvertedFile.Options.DEFAULT_PROBE_RATIO,
            paramLabel = "R", description = "With --approximate ivf, a row searches lists past its nearest two only "
                    + "while their centroids lie within R times its nearest centroid's squared distance; 0 searches "
                    + "all --ivf-probes lists (default: ${DEFAULT-VALUE}).")
    float ivfProbeRatio;

    @Option(names = "--nndescent-rounds", defaultValue = "15", paramLabel = "R",
            description = "NN-Descent's round limit (default: ${DEFAULT-VALUE}).")
    int nnDescentRounds;

    @Option(names = "--nndescent-sample-rate", defaultValue = "1", paramLabel = "RHO",
            description = "NN-Descent's share of k sampled per row and round, in (0, 1]: lower is faster, less "
                    + "accurate (default: ${DEFAULT-VALUE}).")
    float nnDescentSampleRate;

    @Option(names = "--nndescent-trees", defaultValue = "4", paramLabel = "T",
            description = "Random projection trees NN-Descent starts from; 0 starts from random neighbours "
                    + "(default: ${DEFAULT-VALUE}).")
    int nnDescentTrees;

    @Option(names = "--nndescent-pool", defaultValue = "0", paramLabel = "P",
            description = "Neighbours NN-Descent keeps per row while searching, of which the k best are used; "
                    + "raise it (e.g. 3k) for higher recall on hard data, at proportional cost (default: k).")
    int nnDescentPool;

    @Option(names = "--recall-sample", defaultValue = "200", paramLabel = "N",
            description = "With --approximate, rows checked against exact search to estimate recall; 0 skips "
                    + "(default: ${DEFAULT-VALUE}).")
    int recallSample;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the approximate search and the recall sample.")
    long seed;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "sklearn: reproduce scikit-learn's LabelSpreading/LabelPropagation(kernel='knn'); "
                    + "sets the graph (binary weights, self included, no symmetrization), so --weights, --sigma "
                    + "and --symmetrize are ignored.")
    String preset;

    @Mixin
    Engine engine;

    /** Columns of the feature matrix, once read (for --json). */
    private int featureColumns;
    /** The feature matrix, kept after the graph is built only for --report's projection and --model-out. */
    private FloatMatrix features;

    /** The copy of standard input when an input option is {@code -}. */
    StandardInput stdin;
    /** The labels as read, with what they are called and the header line, if any. */
    private LabelFile labelFile;

    @Override
    public Integer call() throws Exception {
        try (StandardInput in = inputs()) {
            stdin = in;
            return propagate();
        } catch (RuntimeException e) {
            throw stdin == null ? e : stdin.rename(e);
        }
    }

    /** Each input option with its file (null when not given). */
    private StandardInput inputs() {
        return StandardInput.of(System.in).input("--features", input.features).input("--edges", input.edges)
                .input("--graph-in", input.graphIn).input("--labels", labels)
                .input("--label-confidence", labelConfidence).input("--truth", truth)
                .input("--class-priors", priorsFile());
    }

    private int propagate() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        boolean sklearn = checkPreset();
        Record algorithmOptions = algorithmOptions(sklearn);
        Fitter fitter = fitter(algorithmOptions);
        GraphSelfTraining.Options selfTrainingOptions = selfTrainingOptions();
        KnnGraph.Options graphOptions = graphOptions(sklearn);
        Progress progress = engine.progress();
        Stages stages = new Stages();
        if (regression()) {
            return regress(err, graphOptions, progress, stages);
        }
        if (modelOut != null && input.features == null) {
            throw new ParameterException(spec.commandLine(), "--model-out needs --features: new rows are labeled by "
                    + "their nearest training rows");
        }
        try (OutputSet outputs = outputs(); Engine.Session session = engine.start(err)) {
            Backend backend = session.backend();
            labelFile = stages.time("read labels", () -> LabelReader.readNamed(stdin.path(labels)));
            int[] raw = labelFile.labels();
            ClassNames names = labelFile.names();
            Labels known = withConfidence(Labels.of(raw, labels.toString()).withNames(names));
            ClassPriors priors = classPriors == null ? null : classPriors(known);
            int[] trueLabels = truth == null ? null
                    : stages.time("read truth", () -> LabelReader.read(stdin.path(truth), names));
            if (trueLabels != null) {
                requireRows(trueLabels.length, truth, raw.length);
            }
            checkLabels(known);
            GraphSelfTraining.Options selfTrainingRule = selfTrainingOptions == null || priors == null
                    ? selfTrainingOptions
                    : new GraphSelfTraining.Options(selfTrainingOptions.share(), selfTrainingOptions.rounds(), priors);
            Fitter fit = selfTrainingRule == null ? fitter
                    : (b, g, l, pr) -> GraphSelfTraining.fit(b, g, l, fitter::fit, selfTrainingRule, pr);
            CsrGraph graph = stages.time("graph", () -> graph(backend, raw.length, graphOptions, progress));
            PropagationResult r = stages.time(algorithm.name().toLowerCase(java.util.Locale.ROOT),
                    () -> fit.fit(backend, graph, known, progress));
            Prediction p = priors == null ? r.prediction()
                    : stages.time("class priors", () -> priors.apply(r.prediction(), known));
            outputs.content("--out", PredictionWriter.content(out, p.label(), p.confidence(), p.classes(),
                    probabilities ? p.distribution() : null, names));
            if (graphOut != null) {
                outputs.content("--graph-out", stream -> GraphFile.write(stream, graph));
            }
            if (modelOut != null) {
                InductiveModel model = new InductiveModel(features, p, graphOptions);
                outputs.content("--model-out", stream -> ModelFile.write(stream, model, names));
            }
            afterPrediction(stages, graph, known, p, outputs);
            Evaluation evaluation = trueLabels == null ? null
                    : Evaluation.of(p, trueLabels, Evaluation.heldOut(raw, trueLabels));
            if (report != null) {
                HtmlReport.Content page = stages.time("report", () -> report(backend, graph, known, raw, r, p,
                        evaluation));
                outputs.content("--report", stream -> HtmlReport.write(stream, page));
            }
            if (json != null) {
                JsonSummary summary = summary(backend, graph, known, graphOptions, algorithmOptions, r, stages);
                summary.put("prediction", JsonSummary.prediction(p, Label.unlabeledRows(raw), names));
                if (evaluation != null) {
                    summary.put("evaluation", JsonSummary.evaluation(evaluation, truth.toString(), names));
                }
                outputs.content("--json", summary::write);
            }
            stages.time("write outputs", () -> {
                outputs.commit();
                return null;
            });
            err.printf("labelprop: %d rows (%d labeled, %d classes), graph %d edges, backend %s%n", p.rows(),
                    known.labeledCount(), known.classCount(), graph.edges(), backend.name());
            err.printf("labelprop: %s %s after %d iterations%s%s%n",
                    algorithm.name().toLowerCase(java.util.Locale.ROOT),
                    r.converged() ? "converged" : "stopped at the limit", r.iterations(),
                    r.unreachedRows() > 0 ? "; " + r.unreachedRows() + " rows unreachable from any label (label -1)"
                            : "",
                    r.rowsWithoutMass() > 0 ? "; " + r.rowsWithoutMass() + " rows got no label although one reaches "
                            + "them (label -1): " + (r.converged() ? "" : "too few iterations (raise --max-iter), or ")
                            + "edge weights that underflow to 0 (e.g. a tiny --sigma)" : "");
            PredictionReport.printSummary(err, p, Label.unlabeledRows(raw), "unlabeled rows", names);
            if (evaluation != null) {
                PredictionReport.printEvaluation(err, evaluation, truth.toString(), names);
            }
        }
        engine.printStages(stages, err);
        return Main.OK;
    }

    /**
     * Every input and output of the run, declared before anything is read: an output naming an input, a
     * missing directory or a directory as target fails here, named by its option.
     */
    OutputSet outputs() {
        return new OutputSet(System.out).input("--features", input.features).input("--edges", input.edges)
                .input("--graph-in", input.graphIn).input("--labels", labels)
                .input("--label-confidence", labelConfidence).input("--truth", truth).input("--class-priors", priorsFile())
                .add("--out", out).add("--graph-out", graphOut).add("--json", json)
                .add("--report", report).add("--model-out", modelOut);
    }

    /** --class-priors when it names a file rather than uniform or labeled. */
    private Path priorsFile() {
        return classPriors == null || classPriors.equals("uniform") || classPriors.equals("labeled") ? null
                : Path.of(classPriors);
    }

    /** The labels with --label-confidence, if given. */
    private Labels withConfidence(Labels known) throws java.io.IOException {
        return labelConfidence == null ? known
                : known.withConfidence(LabelReader.readTargets(stdin.path(labelConfidence)),
                        labelConfidence.toString());
    }

    /** --task, checked with the options that apply to one task only. */
    private boolean regression() {
        if (!task.equals("classification") && !task.equals("regression")) {
            throw new ParameterException(spec.commandLine(), "--task: '" + task
                    + "' is not a task; known: classification, regression");
        }
        boolean regression = task.equals("regression");
        if (regression && (classPriors != null || probabilities || labelConfidence != null || truth != null
                || report != null || modelOut != null || selfTraining != null
                || algorithm == Choice.Algorithm.POISSON)) {
            throw new ParameterException(spec.commandLine(), "--task regression takes --algorithm spreading or "
                    + "propagation, without --class-priors, --probabilities, --label-confidence, --truth, "
                    + "--report, --model-out or --self-training");
        }
        return regression;
    }

    /** --task regression: real-valued targets along the graph, one value and reliability per row. */
    private int regress(PrintWriter err, KnnGraph.Options graphOptions, Progress progress, Stages stages)
            throws Exception {
        Regression.Options d = Regression.Options.defaults();
        Regression.Options options = new Regression.Options(algorithm == Choice.Algorithm.PROPAGATION
                ? Regression.Method.LAPLACE : Regression.Method.SPREADING, alpha == null ? 0.99f : alpha,
                tol == null ? d.tol() : tol, maxIter == null ? d.maxIter() : maxIter,
                momentum == null ? d.momentum() : momentum);
        try (OutputSet outputs = outputs(); Engine.Session session = engine.start(err)) {
            Backend backend = session.backend();
            float[] targets = stages.time("read targets", () -> LabelReader.readTargets(stdin.path(labels)));
            CsrGraph graph = stages.time("graph", () -> graph(backend, targets.length, graphOptions, progress));
            Regression.Result r = stages.time("regression", () -> Regression.fit(backend, graph, targets, options,
                    progress));
            outputs.content("--out", PredictionWriter.regressionContent(out, r.value(), r.reliability()));
            if (json != null) {
                JsonSummary summary = new JsonSummary(spec.name());
                summary.put("input", jsonInput(graph)).put("task", "regression");
                JsonObject used = new JsonObject();
                used.add("graph", jsonGraphOptions(graphOptions));
                used.add("regression", JsonSummary.options(options));
                summary.put("options", used).put("backend", backend.name());
                summary.put("iterations", r.iterations()).put("converged", r.converged());
                summary.put("stages", JsonSummary.stages(stages));
                outputs.content("--json", summary::write);
            }
            if (graphOut != null) {
                outputs.content("--graph-out", stream -> GraphFile.write(stream, graph));
            }
            stages.time("write outputs", () -> {
                outputs.commit();
                return null;
            });
            err.printf("labelprop: regression on %d rows, %s after %d iterations%n", targets.length,
                    r.converged() ? "converged" : "stopped at the limit", r.iterations());
        }
        engine.printStages(stages, err);
        return Main.OK;
    }

    /**
     * The --json summary's common part: inputs, the options the library used, backend, iterations and stage
     * times up to writing the outputs (the summary is one of them).
     */
    private JsonSummary summary(Backend backend, CsrGraph graph, Labels known, KnnGraph.Options graphOptions,
            Record algorithmOptions, PropagationResult r, Stages stages) throws java.io.IOException {
        JsonSummary s = new JsonSummary(spec.name());
        JsonObject in = jsonInput(graph);
        in.addProperty("labeled", known.labeledCount());
        in.addProperty("classes", known.classCount());
        in.add("class_names", JsonSummary.classNames(known.names()));
        s.put("input", in).put("task", "classification");
        JsonObject options = new JsonObject();
        options.addProperty("algorithm", Choice.spell(algorithm));
        options.add("graph", jsonGraphOptions(graphOptions));
        options.add(Choice.spell(algorithm), JsonSummary.options(algorithmOptions));
        options.addProperty("class_priors", classPriors);
        options.addProperty("self_training", selfTraining);
        s.put("options", options);
        s.put("backend", backend.name());
        s.put("iterations", r.iterations()).put("converged", r.converged());
        s.put("unreached_rows", r.unreachedRows()).put("rows_without_mass", r.rowsWithoutMass());
        s.put("residuals", JsonSummary.numbers(r.residuals()));
        s.put("stages", JsonSummary.stages(stages));
        return s;
    }

    /**
     * The --report page: the run's facts, its charts, and the features of a seeded sample of rows projected
     * on their first two principal components (fitted on the sample: it is only a picture).
     */
    private HtmlReport.Content report(Backend backend, CsrGraph graph, Labels known, int[] raw, PropagationResult r,
            Prediction p, Evaluation evaluation) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("input", input.features != null ? "--features " + input.features
                : input.edges != null ? "--edges " + input.edges : "--graph-in " + input.graphIn);
        facts.put("labels", labels + ": " + raw.length + " rows, " + known.labeledCount() + " labeled, "
                + known.classCount() + " classes");
        facts.put("graph", graph.edges() + " edges");
        facts.put("algorithm", Choice.spell(algorithm) + ", " + (r.converged() ? "converged" : "stopped at the limit")
                + " after " + r.iterations() + " iterations" + (classPriors == null ? "" : ", class priors "
                + classPriors));
        facts.put("backend", backend.name());
        if (evaluation != null) {
            facts.put("accuracy", String.format(java.util.Locale.ROOT, "%.2f%% on %d unlabeled rows (%s)",
                    100 * evaluation.accuracy(), evaluation.scored(), truth));
        }
        FloatMatrix xy = null;
        int[] rows = null;
        String why = null;
        if (features == null) {
            why = "no features: the graph was given";
        } else if (features.cols() < 2) {
            why = "one feature column: nothing to project";
        } else {
            rows = HtmlReport.sample(features.rows(), HtmlReport.PROJECTED_ROWS, seed);
            FloatMatrix sample = features.selectRows(rows);
            xy = sample.rows() < 2 ? null : Pca.fit(backend, sample, 2, seed).transform(backend, sample);
            why = xy == null ? "one row: nothing to project" : null;
        }
        return new HtmlReport.Content("labelprop " + spec.name() + " report", facts, p, known.names(), raw,
                r.residuals(), evaluation, xy, rows, why);
    }

    /** Rows, feature columns (null for a given graph) and edges, for --json. */
    private JsonObject jsonInput(CsrGraph graph) {
        JsonObject in = new JsonObject();
        in.addProperty("rows", graph.rows());
        in.addProperty("features", input.features == null ? null : featureColumns);
        in.addProperty("graph_edges", graph.edges());
        return in;
    }

    /** The graph's options as used, or the option that gave the graph, for --json. */
    private JsonElement jsonGraphOptions(KnnGraph.Options graphOptions) {
        return input.features != null ? JsonSummary.options(graphOptions)
                : new JsonPrimitive(input.edges != null ? "--edges" : "--graph-in");
    }

    /** Checks the labels against further options before the graph is built; nothing more here. */
    void checkLabels(Labels known) {
    }

    /** What a subcommand does with the written prediction; nothing more here. */
    void afterPrediction(Stages stages, CsrGraph graph, Labels known, Prediction p, OutputSet outputs)
            throws Exception {
    }

    private boolean checkPreset() {
        if (preset == null) {
            return false;
        }
        if (!preset.equals("sklearn")) {
            throw new ParameterException(spec.commandLine(), "--preset: '" + preset + "' is not a preset; known: sklearn");
        }
        return true;
    }

    /** The graph's options from the flags, built (and so validated) before any data is read. */
    private KnnGraph.Options graphOptions(boolean sklearn) {
        KnnGraph.Options o = sklearn ? KnnGraph.Options.sklearn(k)
                : KnnGraph.Options.defaults().withK(k).withWeights(weighting, sigma,
                        symmetrization == null ? Symmetrization.AVERAGE : symmetrization);
        o = o.withMetric(metric).withSeed(seed).withRecallSample(recallSample);
        if (blur != null) {
            if (image == null) {
                throw new InvalidOptionException("--blur", "needs --image HxW[xC] (the shape of the images to blur)");
            }
            o = o.withBlur(ImageBlur.parse(image, blur, "--image"));
        } else if (image != null) {
            throw new InvalidOptionException("--image", "is used by --blur SIGMA only; give both or neither");
        }
        if (pca != null) {
            if (pca < 1) {
                throw new InvalidOptionException("--pca", "must be at least 1, got " + pca);
            }
            o = o.withPca(pca);
        }
        if (whiten != null) {
            if (pca == null) {
                throw new InvalidOptionException("--whiten", "needs --pca DIMS (it whitens the principal coordinates)");
            }
            o = o.withWhitening(whiten);
        }
        return approximate == null ? o : o.withSearch(approximateMethod());
    }

    private CsrGraph graph(Backend backend, int rows, KnnGraph.Options options, Progress progress) throws Exception {
        if (input.graphIn != null) {
            CsrGraph g = GraphFile.read(stdin.path(input.graphIn));
            requireRows(g.rows(), input.graphIn, rows);
            return g;
        }
        if (input.edges != null) {
            EdgeList e = EdgeListReader.read(stdin.path(input.edges));
            Symmetrization s = symmetrization == null ? Symmetrization.MAX : symmetrization;
            try {
                return GraphBuilder.fromEdges(rows, e.src(), e.dst(), e.weight(), s, false, backend.workers());
            } catch (DataException bad) {
                throw new DataException(input.edges + ": " + bad.getMessage(), bad);
            }
        }
        FloatMatrix x = FeatureReader.read(stdin.path(input.features));
        featureColumns = x.cols();
        if (report != null || modelOut != null) {
            features = x;
        }
        requireRows(x.rows(), input.features, rows);
        if (options.blur() != null && options.blur().features() != x.cols()) {
            throw new InvalidOptionException("--image", "'" + image + "' needs " + options.blur().features()
                    + " values per row, but " + input.features + " has " + x.cols() + " columns");
        }
        if (x.rows() <= k) {
            spec.commandLine().getErr().printf("labelprop: only %d rows: each row gets the %d others as neighbours "
                    + "instead of --k %d%n", x.rows(), x.rows() - 1, k);
        }
        KnnGraph built = KnnGraph.build(backend, x, options, progress);
        if (!options.search().exact() && !Double.isNaN(built.recall())) {
            spec.commandLine().getErr().printf("labelprop: approximate graph: recall@%d %.4f on %d sampled rows%n",
                    options.includeSelf() ? built.neighbors().k() - 1 : built.neighbors().k(), built.recall(),
                    Math.min(recallSample, x.rows()));
        }
        return built.graph();
    }

    /** The --approximate METHOD with its options; options out of range fail before any data is read. */
    private NeighborSearch approximateMethod() {
        switch (approximate) {
            case "nndescent":
                return new NnDescent(new NnDescent.Options(seed, nnDescentRounds, nnDescentSampleRate,
                        NnDescent.Options.defaults().delta(), nnDescentTrees, nnDescentPool));
            case "ivf":
                InvertedFile.Options d = InvertedFile.Options.defaults();
                return new InvertedFile(new InvertedFile.Options(seed, ivfLists, ivfProbes, ivfProbeRatio, d.iterations(),
                        d.samplePerList()));
            default:
                throw new InvalidOptionException("--approximate", "must be nndescent or ivf, got '" + approximate + "'");
        }
    }

    private void requireRows(int have, Path source, int rows) {
        if (have != rows) {
            throw new DataException(source + " has " + have + " rows but " + labels + " has " + rows
                    + (labelFile == null ? "" : labelFile.rowCountHint(have)) + "; give one label (or -1) per row");
        }
    }

    /** --class-priors, checked against the labels' classes before anything is fitted. */
    private ClassPriors classPriors(Labels known) throws java.io.IOException {
        ClassPriors p = switch (classPriors) {
            case "uniform" -> ClassPriors.UNIFORM;
            case "labeled" -> ClassPriors.LABELED;
            default -> ClassPriors.of(ClassPriorReader.read(stdin.path(Path.of(classPriors)), known.names()),
                    classPriors, known.names());
        };
        p.resolve(known);
        return p;
    }

    /** One algorithm with its options. */
    @FunctionalInterface
    private interface Fitter {
        PropagationResult fit(Backend backend, CsrGraph graph, Labels labels, Progress progress);
    }

    /**
     * --self-training SHARE,ROUNDS as GraphSelfTraining's options (its defaults when the flag has no value; the
     * priors are replaced by --class-priors once the labels are read), or null without the flag; validated
     * before any data is read.
     */
    private GraphSelfTraining.Options selfTrainingOptions() {
        if (selfTraining == null) {
            return null;
        }
        if (selfTraining.isBlank()) {
            return GraphSelfTraining.Options.defaults();
        }
        String[] part = selfTraining.split(",", -1);
        try {
            if (part.length != 2) {
                throw new NumberFormatException();
            }
            return new GraphSelfTraining.Options(Double.parseDouble(part[0].trim()), Integer.parseInt(part[1].trim()),
                    ClassPriors.LABELED);
        } catch (NumberFormatException e) {
            throw new InvalidOptionException("--self-training",
                    "must be SHARE,ROUNDS, a share in (0, 1] and a number of rounds (e.g. 1,1), got '"
                            + selfTraining + "'");
        }
    }

    /** The chosen algorithm's options, built (and so validated) before any data is read. */
    private Record algorithmOptions(boolean sklearn) {
        return switch (algorithm) {
            case PROPAGATION -> propagationOptions(sklearn);
            case POISSON -> poissonOptions();
            default -> spreadingOptions(sklearn);
        };
    }

    /** The algorithm the options belong to. */
    private static Fitter fitter(Record options) {
        if (options instanceof LabelPropagation.Options o) {
            return (b, g, l, p) -> LabelPropagation.fit(b, g, l, o, p);
        }
        if (options instanceof PoissonLearning.Options o) {
            return (b, g, l, p) -> PoissonLearning.fit(b, g, l, o, p);
        }
        LabelSpreading.Options o = (LabelSpreading.Options) options;
        return (b, g, l, p) -> LabelSpreading.fit(b, g, l, o, p);
    }

    private PoissonLearning.Options poissonOptions() {
        PoissonLearning.Options d = PoissonLearning.Options.defaults();
        return new PoissonLearning.Options(minIter == null ? d.minIter() : minIter,
                maxIter == null ? d.maxIter() : maxIter);
    }

    /** Label propagation's options, built (and so validated) before any data is read. */
    private LabelPropagation.Options propagationOptions(boolean sklearn) {
        LabelPropagation.Options d = sklearn ? LabelPropagation.Options.sklearn() : LabelPropagation.Options.defaults();
        return new LabelPropagation.Options(tol == null ? d.tol() : tol, maxIter == null ? d.maxIter() : maxIter,
                d.convergence(), classMassNormalization == null ? d.classMassNormalization() : classMassNormalization);
    }

    /** Label spreading's options, built (and so validated) before any data is read. */
    private LabelSpreading.Options spreadingOptions(boolean sklearn) {
        LabelSpreading.Options d = sklearn ? LabelSpreading.Options.sklearn() : LabelSpreading.Options.defaults();
        return new LabelSpreading.Options(alpha == null ? d.alpha() : alpha, tol == null ? d.tol() : tol,
                maxIter == null ? d.maxIter() : maxIter, d.convergence(),
                classMassNormalization == null ? d.classMassNormalization() : classMassNormalization,
                momentum == null ? d.momentum() : momentum);
    }


}
