package org.labelprop.spark;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.Int2LongAVLTreeMap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Prediction;
import org.labelprop.core.algo.ClassMass;
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.MomentumSchedule;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import scala.Tuple2;

/**
 * Label spreading and label propagation on a {@link SparkGraph}: core's algorithms with core's options,
 * stopping rule and final decisions, run as a block-partitioned sparse product per iteration. Each
 * iteration is one Spark job: halo rows of Y cross between blocks, every block steps its own rows, and the
 * per-block changes come back to the driver, summed in block order so the stop is deterministic.
 *
 * <p>Results equal core's on the same graph within float rounding (tests hold them to 1e-5).
 */
public final class SparkPropagation {
    private SparkPropagation() {
    }

    /**
     * How the iteration runs on the cluster.
     *
     * @param checkpointInterval every this many iterations Y's lineage is cut (a reliable checkpoint when
     *     the SparkContext has a checkpoint directory, a local one otherwise): without it a long loop's
     *     lineage grows until the driver overflows its stack, and time per iteration grows with it
     */
    public record Options(int checkpointInterval) {
        public Options {
            if (checkpointInterval < 1) {
                throw new InvalidOptionException("SparkPropagation.Options.checkpointInterval",
                        "must be at least 1, got " + checkpointInterval);
            }
        }

        /** A checkpoint every 10 iterations, which kept time per iteration flat over 400 iterations. */
        public static Options defaults() {
            return new Options(10);
        }

        public Options withCheckpointInterval(int iterations) {
            return new Options(iterations);
        }
    }

    /**
     * The prediction of every row ({@link #PREDICTION_SCHEMA}, computed and cached: save it or unpersist
     * it) and how the iteration went.
     *
     * @param residuals the total change of each step, as core reports it
     * @param iterationSeconds wall time of each step's job on the driver (halo shuffle, step, sums)
     */
    public record Result(Dataset<Row> predictions, int iterations, boolean converged, double[] residuals,
                         double[] iterationSeconds) {
    }

    /** The columns of {@link Result#predictions()}: as the CLI writes them, plus the class distribution. */
    public static final StructType PREDICTION_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("confidence", DataTypes.FloatType, false)
            .add("distribution", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** Label spreading (Zhou et al.): Y &lt;- alpha S Y + (1 - alpha) Y0, as core's {@link LabelSpreading}. */
    public static Result spread(SparkGraph graph, LabelSpreading.Options options, Options run) {
        return Failures.unwrapped(() -> spreadOn(graph, options, run));
    }

    private static Result spreadOn(SparkGraph graph, LabelSpreading.Options options, Options run) {
        Step rule = new Step(options.alpha(), 1f - options.alpha(), false, false);
        BlockedGraph s = Normalization.symmetricNormalized(graph.blocked());
        LabelCounts counts = LabelCounts.of(s);
        JavaRDD<float[]> y0 = oneHot(s, counts.classes());
        Iterated r = iterate(s, rule, y0, y0, counts.classes().length, options.tol(), options.maxIter(),
                options.convergence(), options.schedule(graph.symmetric()), run);
        return finish(graph, s, r, counts, classMassNormalization(options.classMassNormalization(), counts));
    }

    /** Label propagation (Zhu and Ghahramani): Y &lt;- D^-1 W Y, labeled rows clamped, as core's. */
    public static Result propagate(SparkGraph graph, LabelPropagation.Options options, Options run) {
        return Failures.unwrapped(() -> propagateOn(graph, options, run));
    }

    private static Result propagateOn(SparkGraph graph, LabelPropagation.Options options, Options run) {
        Step rule = new Step(1f, 0f, true, true);
        BlockedGraph p = Normalization.randomWalk(graph.blocked());
        LabelCounts counts = LabelCounts.of(p);
        JavaRDD<float[]> y0 = oneHot(p, counts.classes());
        Iterated r = iterate(p, rule, y0, y0, counts.classes().length, options.tol(), options.maxIter(),
                options.convergence(), MomentumSchedule.none(), run);
        return finish(graph, p, r, counts, classMassNormalization(options.classMassNormalization(), counts));
    }

    /**
     * Poisson learning (Calder et al. 2020), as core's {@link PoissonLearning}: W without self-loops, u &lt;- D^-1 b
     * + D^-1 W^T u from u = D^-1 b for as many steps as a lazy random walk from the labeled rows needs to mix
     * (at least minIter), predictions from a softmax of u / sd(u). Rows whose u stays 0 (no label reaches
     * them) are left without a prediction, as core leaves the rows no label reaches.
     */
    public static Result poisson(SparkGraph graph, PoissonLearning.Options options, Options run) {
        return Failures.unwrapped(() -> poissonOn(graph, options, run));
    }

    private static Result poissonOn(SparkGraph graph, PoissonLearning.Options options, Options run) {
        BlockedGraph w = graph.blocked().withBlocks(graph.blocked().blocks.map(b -> {
            float[] weight = b.weight.clone();
            for (int i = 0; i < b.rows(); i++) {
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    if (b.col[e] == i) {
                        weight[e] = 0f;
                    }
                }
            }
            return b.withWeights(weight);
        }));
        JavaRDD<double[]> degree = w.blocks.map(b -> {
            double[] d = new double[b.rows()];
            for (int i = 0; i < b.rows(); i++) {
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    d[i] += b.weight[e];
                }
            }
            return d;
        });
        degree.persist(StorageLevel.MEMORY_AND_DISK());
        LabelCounts counts = LabelCounts.of(w);
        int[] classes = counts.classes();
        int c = classes.length;
        int steps = PoissonWalk.mixingSteps(w, degree, counts.labeledRows(), options);
        double[] mean = counts.priors();
        // D^-1 b: b = one-hot - mean of the labeled one-hots on labeled rows, 0 elsewhere.
        JavaRDD<float[]> source = w.blocks.zipPartitions(degree, SparkPropagation::pairs).map(p -> {
            GraphBlock b = p._1();
            float[] y = new float[b.rows() * c];
            for (int i = 0; i < b.rows(); i++) {
                int col = column(classes, b.labels[i]);
                for (int k = 0; col >= 0 && k < c; k++) {
                    float bik = (float) ((col == k ? 1 : 0) - mean[k]);
                    y[i * c + k] = p._2()[i] > 0 ? (float) (bik / p._2()[i]) : 0f;
                }
            }
            return y;
        });
        source.persist(StorageLevel.MEMORY_AND_DISK());
        // D^-1 W^T: W^T's row i scaled by 1 / d_i (the same row ranges, so the degrees line up by block).
        BlockedGraph t = w.transpose();
        BlockedGraph operator = t.withBlocks(t.blocks.zipPartitions(degree, SparkPropagation::pairs).map(p -> {
            GraphBlock b = p._1();
            float[] weight = new float[b.weight.length];
            for (int i = 0; i < b.rows(); i++) {
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    weight[e] = p._2()[i] == 0 ? 0f : (float) (b.weight[e] / p._2()[i]);
                }
            }
            return b.withWeights(weight);
        }));
        t.unpersist();
        w.unpersist();
        Iterated r = iterate(operator, new Step(1f, 1f, false, false), source, source, c, -1,
                Math.max(steps - 1, 1), Convergence.TOTAL_CHANGE, MomentumSchedule.none(), run);
        JavaRDD<float[]> u = r.y();
        double[] moments = u.map(v -> {
            double sum = 0;
            double sq = 0;
            for (float x : v) {
                sum += x;
                sq += (double) x * x;
            }
            return new double[] {sum, sq, v.length};
        }).reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
        double meanU = moments[0] / moments[2];
        double sd = Math.sqrt(Math.max(moments[1] / moments[2] - meanU * meanU, 0));
        double scale = sd > 0 ? 1 / sd : 1;
        JavaRDD<float[]> softmax = u.map(v -> {
            float[] p = PoissonLearning.softmaxRows(v, c, scale);
            // A row whose u stayed 0 has no label reaching it: no prediction, as core leaves such rows.
            for (int o = 0; o < v.length; o += c) {
                boolean reached = false;
                for (int k = 0; k < c; k++) {
                    reached |= v[o + k] != 0f;
                }
                if (!reached) {
                    Arrays.fill(p, o, o + c, 0f);
                }
            }
            return p;
        });
        Iterated scored = new Iterated(softmax, r.held(), r.iterations(), steps < options.maxIter(), r.residuals(),
                r.seconds());
        Result result = finish(graph, operator, scored, counts, null);
        degree.unpersist(false);
        source.unpersist(false);
        return result;
    }

    /**
     * One step of core's {@code StepRule} for one block's rows ({@link StepRule#apply}, the reference
     * backend's loop): the block's local columns index its own rows then its halo slots, so Y followed by
     * the halo is the array the step gathers from. Clamping, when asked, resets the labeled rows. With
     * momentum other than 1, {@code previous} is the block's iterate before Y.
     */
    record Step(float alpha, float beta, boolean clampLabeled, boolean normalizeRows) implements Serializable {
        BlockState apply(GraphBlock b, float[] y, float[] previous, float[] y0, float[] halo, int c, float momentum) {
            int rows = b.rows();
            boolean[] clamped = null;
            if (clampLabeled) {
                clamped = new boolean[rows];
                for (int i = 0; i < rows; i++) {
                    clamped[i] = b.labels[i] >= 0;
                }
            }
            float[] gathered = Arrays.copyOf(y, y.length + halo.length);
            System.arraycopy(halo, 0, gathered, y.length, halo.length);
            float[] next = momentum != 1f ? previous.clone() : new float[rows * c];
            StepResult r = new StepRule(alpha, beta, clamped, normalizeRows)
                    .apply(rows, c, b.rowPtr, b.col, b.weight, gathered, y0, next, momentum);
            return new BlockState(b.block, next, r.change(), r.mass());
        }
    }

    /** Y of one block after a step, with the block's share of the step's change and mass. */
    record BlockState(int block, float[] y, double change, double mass) implements Serializable {
    }

    static int column(int[] classes, int label) {
        return label < 0 ? -1 : Arrays.binarySearch(classes, label);
    }

    /**
     * One-hot rows of the labeled rows, zero rows elsewhere, per block. Not cached: rebuilding it from the
     * labels costs less per step than holding rows x classes floats in every executor for the whole run.
     */
    static JavaRDD<float[]> oneHot(BlockedGraph g, int[] classes) {
        int c = classes.length;
        JavaRDD<float[]> y0 = g.blocks.map(b -> {
            float[] y = new float[b.rows() * c];
            for (int i = 0; i < b.rows(); i++) {
                int k = column(classes, b.labels[i]);
                if (k >= 0) {
                    y[i * c + k] = 1f;
                }
            }
            return y;
        });
        return y0;
    }

    /** Y after the iteration (cached, per block) and how it went. */
    record Iterated(JavaRDD<float[]> y, JavaRDD<BlockState> held, int iterations, boolean converged,
                    double[] residuals, double[] seconds) {
    }

    /**
     * Iterates {@code Y <- rule(G Y)} from {@code start} with prior {@code y0} until core's convergence test
     * says so: one Spark job per step, lineage cut every checkpoint interval.
     */
    static Iterated iterate(BlockedGraph g, Step rule, JavaRDD<float[]> start, JavaRDD<float[]> y0, int c, double tol,
                            int maxIter, Convergence convergence, MomentumSchedule schedule, Options run) {
        boolean reliable = g.blocks.context().getCheckpointDir().isDefined();
        DoubleArrayList residuals = new DoubleArrayList();
        DoubleArrayList seconds = new DoubleArrayList();
        boolean converged = false;
        JavaRDD<float[]> y = start;
        // A schedule that may take momentum steps reads the iterate before Y: the states of two steps stay cached.
        boolean twoStates = schedule.mayTakeMomentum();
        JavaRDD<float[]> previous = start;
        JavaRDD<BlockState> held = null;
        JavaRDD<BlockState> heldBefore = null;
        JavaRDD<Tuple2<GraphBlock, float[]>> withPrior = g.blocks.zipPartitions(y0, SparkPropagation::pairs);
        for (int it = 0; it < maxIter && !converged; it++) {
            long begin = System.nanoTime();
            JavaRDD<float[]> halo = g.exchange(y, c);
            float momentum = schedule.next();
            JavaRDD<Tuple2<float[], float[]>> states = momentum != 1f
                    ? y.zipPartitions(previous, SparkPropagation::pairs) : y.map(v -> new Tuple2<>(v, null));
            JavaRDD<BlockState> next = withPrior.zipPartitions(states, SparkPropagation::pairs)
                    .zipPartitions(halo, (pi, hi) -> {
                        List<BlockState> out = new ArrayList<>(1);
                        while (pi.hasNext()) {
                            Tuple2<Tuple2<GraphBlock, float[]>, Tuple2<float[], float[]>> p = pi.next();
                            out.add(rule.apply(p._1()._1(), p._2()._1(), p._2()._2(), p._1()._2(), hi.next(), c,
                                    momentum));
                        }
                        return out.iterator();
                    });
            next.persist(StorageLevel.MEMORY_AND_DISK());
            if ((it + 1) % run.checkpointInterval() == 0) {
                if (reliable) {
                    next.checkpoint();
                } else {
                    next.rdd().localCheckpoint();
                }
            }
            List<double[]> parts = new ArrayList<>(next.map(s -> new double[] {s.block(), s.change(), s.mass()})
                    .collect());
            parts.sort((a, b) -> Double.compare(a[0], b[0]));
            double change = 0;
            double mass = 0;
            for (double[] p : parts) {
                change += p[1];
                mass += p[2];
            }
            StepResult asPlain = schedule.observe(new StepResult(change, mass));
            residuals.add(change);
            seconds.add((System.nanoTime() - begin) / 1e9);
            converged = convergence.reached(asPlain, tol);
            if (heldBefore != null) {
                heldBefore.unpersist(false);
            }
            if (twoStates) {
                heldBefore = held;
                previous = y;
            } else if (held != null) {
                held.unpersist(false);
            }
            held = next;
            y = next.map(BlockState::y);
        }
        if (held == null) {
            throw new IllegalStateException("no iteration ran");
        }
        if (heldBefore != null) {
            heldBefore.unpersist(false);
        }
        return new Iterated(y, held, residuals.size(), converged, residuals.toDoubleArray(), seconds.toDoubleArray());
    }

    /** Class mass normalization's scale per class, or null for none. */
    private static double[] classMassNormalization(boolean on, LabelCounts counts) {
        return on ? counts.priors() : null;
    }

    /**
     * The predictions of an iteration's Y, computed and cached, after which the iteration's state and the
     * operator's blocks are freed.
     */
    static Result finish(SparkGraph graph, BlockedGraph operator, Iterated r, LabelCounts counts, double[] massPriors) {
        Dataset<Row> predictions = decide(graph, operator, r.y(), counts.classes(), massPriors).persist();
        predictions.count();
        r.held().unpersist(false);
        operator.unpersist();
        return new Result(predictions, r.iterations(), r.converged(), r.residuals(), r.seconds());
    }

    /** Zips two partition-aligned RDDs element by element (one element per partition here). */
    static <A, B> java.util.Iterator<Tuple2<A, B>> pairs(java.util.Iterator<A> bi, java.util.Iterator<B> vi) {
        List<Tuple2<A, B>> out = new ArrayList<>(1);
        while (bi.hasNext()) {
            out.add(new Tuple2<>(bi.next(), vi.next()));
        }
        return out.iterator();
    }

    /** The labeled classes, ascending, and how many labeled rows each has. */
    record LabelCounts(int[] classes, long[] count) implements Serializable {
        static LabelCounts of(BlockedGraph g) {
            Int2LongAVLTreeMap total = g.blocks.map(b -> {
                Int2LongAVLTreeMap m = new Int2LongAVLTreeMap();
                for (int label : b.labels) {
                    if (label >= 0) {
                        m.addTo(label, 1);
                    }
                }
                return m;
            }).reduce((a, b) -> {
                b.int2LongEntrySet().forEach(e -> a.addTo(e.getIntKey(), e.getLongValue()));
                return a;
            });
            if (total.isEmpty()) {
                throw new DataException("no row is labeled: give at least one label >= 0");
            }
            return new LabelCounts(total.keySet().toIntArray(), total.values().toLongArray());
        }

        long labeledRows() {
            return Arrays.stream(count).sum();
        }

        double[] priors() {
            double all = Arrays.stream(count).sum();
            return Arrays.stream(count).mapToDouble(k -> k / all).toArray();
        }
    }

    /**
     * Core's final decisions on Y: rows normalized, class mass normalization (when priors are given) (the unlabeled rows' mass per
     * class scaled to the labeled proportions, then rows normalized again), then labels and confidences.
     */
    private static Dataset<Row> decide(SparkGraph graph, BlockedGraph g, JavaRDD<float[]> y, int[] classes,
                                       double[] massPriors) {
        int c = classes.length;
        // Not cached: normalizing the cached Y again costs less than holding a second copy of it.
        JavaRDD<float[]> normalized = y.map(v -> ClassMass.normalizeRows(v.clone(), c));
        if (massPriors != null) {
            List<double[]> parts = new ArrayList<>(g.blocks.zipPartitions(normalized, SparkPropagation::pairs)
                    .map(p -> unlabeledMass(p._1(), p._2(), c)).collect());
            parts.sort((a, b) -> Double.compare(a[c], b[c]));
            double[] mass = new double[c];
            for (double[] p : parts) {
                for (int k = 0; k < c; k++) {
                    mass[k] += p[k];
                }
            }
            double[] scale = ClassMass.scales(mass, massPriors);
            JavaRDD<float[]> unscaled = normalized;
            normalized = g.blocks.zipPartitions(unscaled, SparkPropagation::pairs).map(p -> {
                float[] v = p._2().clone();
                for (int i = 0; i < p._1().rows(); i++) {
                    if (p._1().labels[i] < 0) {
                        for (int k = 0; k < c; k++) {
                            v[i * c + k] = (float) (v[i * c + k] * scale[k]);
                        }
                    }
                }
                return ClassMass.normalizeRows(v, c);
            });
        }
        JavaRDD<Row> rows = g.blocks.zipPartitions(normalized, SparkPropagation::pairs).flatMap(p -> {
            GraphBlock b = p._1();
            float[] dist = p._2();
            Prediction pred = Prediction.of(classes, dist);
            // Rows made as Spark reads them, not all held at once: a block may have millions.
            return java.util.stream.IntStream.range(0, b.rows()).mapToObj(i -> RowFactory.create(b.ids[i],
                    pred.label()[i], pred.confidence()[i], Arrays.copyOfRange(dist, i * c, (i + 1) * c))).iterator();
        });
        return graph.session().createDataFrame(rows, PREDICTION_SCHEMA);
    }

    /** Per class the mass of the block's unlabeled rows, then the block number (for ordering the sum). */
    private static double[] unlabeledMass(GraphBlock b, float[] y, int c) {
        double[] m = new double[c + 1];
        for (int i = 0; i < b.rows(); i++) {
            if (b.labels[i] < 0) {
                for (int k = 0; k < c; k++) {
                    m[k] += y[i * c + k];
                }
            }
        }
        m[c] = b.block;
        return m;
    }
}
