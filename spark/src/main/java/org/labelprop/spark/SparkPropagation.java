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
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.backend.StepResult;
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

    /** Label spreading (Zhou et al.): Y <- alpha S Y + (1 - alpha) Y0, as core's {@link LabelSpreading}. */
    public static Result spread(SparkGraph graph, LabelSpreading.Options options, Options run) {
        Step rule = new Step(options.alpha(), 1f - options.alpha(), false, false);
        return iterate(graph, Normalization.symmetricNormalized(graph.blocked()), rule, options.tol(),
                options.maxIter(), options.convergence(), options.classMassNormalization(), run);
    }

    /** Label propagation (Zhu and Ghahramani): Y <- D^-1 W Y, labeled rows clamped, as core's. */
    public static Result propagate(SparkGraph graph, LabelPropagation.Options options, Options run) {
        Step rule = new Step(1f, 0f, true, true);
        return iterate(graph, Normalization.randomWalk(graph.blocked()), rule, options.tol(), options.maxIter(),
                options.convergence(), options.classMassNormalization(), run);
    }

    /**
     * One step of core's {@code StepRule} for one block's rows: next = alpha (G Y) + beta Y0, then labeled
     * rows reset to Y0 when clamping, rows normalized to sum 1 when asked.
     */
    record Step(float alpha, float beta, boolean clampLabeled, boolean normalizeRows) implements Serializable {
        BlockState apply(GraphBlock b, float[] y, float[] halo, int[] classes) {
            int c = classes.length;
            int rows = b.rows();
            float[] next = new float[rows * c];
            float[] acc = new float[c];
            double change = 0;
            double mass = 0;
            for (int i = 0; i < rows; i++) {
                int o = i * c;
                int labelColumn = column(classes, b.labels[i]);
                if (clampLabeled && labelColumn >= 0) {
                    next[o + labelColumn] = 1f;
                } else {
                    Arrays.fill(acc, 0f);
                    for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                        int j = b.col[e];
                        float[] src = j < rows ? y : halo;
                        int jo = (j < rows ? j : j - rows) * c;
                        for (int k = 0; k < c; k++) {
                            acc[k] += b.weight[e] * src[jo + k];
                        }
                    }
                    float sum = 0;
                    for (int k = 0; k < c; k++) {
                        acc[k] = alpha * acc[k] + (k == labelColumn ? beta : 0f);
                        sum += acc[k];
                    }
                    float scale = normalizeRows && sum != 0f ? 1f / sum : 1f;
                    for (int k = 0; k < c; k++) {
                        next[o + k] = acc[k] * scale;
                    }
                }
                for (int k = 0; k < c; k++) {
                    change += Math.abs(next[o + k] - y[o + k]);
                    mass += Math.abs(next[o + k]);
                }
            }
            return new BlockState(b.block, next, change, mass);
        }
    }

    /** Y of one block after a step, with the block's share of the step's change and mass. */
    record BlockState(int block, float[] y, double change, double mass) implements Serializable {
    }

    static int column(int[] classes, int label) {
        return label < 0 ? -1 : Arrays.binarySearch(classes, label);
    }

    private static Result iterate(SparkGraph graph, BlockedGraph g, Step rule, double tol, int maxIter,
                                  Convergence convergence, boolean classMassNormalization, Options run) {
        LabelCounts counts = LabelCounts.of(g);
        int[] classes = counts.classes();
        int c = classes.length;
        JavaRDD<float[]> y = g.blocks.map(b -> {
            float[] y0 = new float[b.rows() * c];
            for (int i = 0; i < b.rows(); i++) {
                int k = column(classes, b.labels[i]);
                if (k >= 0) {
                    y0[i * c + k] = 1f;
                }
            }
            return y0;
        });
        boolean reliable = g.blocks.context().getCheckpointDir().isDefined();
        DoubleArrayList residuals = new DoubleArrayList();
        DoubleArrayList seconds = new DoubleArrayList();
        boolean converged = false;
        JavaRDD<BlockState> held = null;
        for (int it = 0; it < maxIter && !converged; it++) {
            long start = System.nanoTime();
            JavaRDD<float[]> halo = g.exchange(y, c);
            JavaRDD<BlockState> next = g.blocks.zipPartitions(y, SparkPropagation::pairs)
                    .zipPartitions(halo, (pi, hi) -> {
                        List<BlockState> out = new ArrayList<>(1);
                        while (pi.hasNext()) {
                            Tuple2<GraphBlock, float[]> p = pi.next();
                            out.add(rule.apply(p._1(), p._2(), hi.next(), classes));
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
            StepResult step = new StepResult(change, mass);
            residuals.add(change);
            seconds.add((System.nanoTime() - start) / 1e9);
            converged = convergence.reached(step, tol);
            if (held != null) {
                held.unpersist(false);
            }
            held = next;
            y = next.map(BlockState::y);
        }
        if (held == null) {
            throw new IllegalStateException("no iteration ran");
        }
        Dataset<Row> predictions = finish(graph, g, y, counts, classMassNormalization).persist();
        // Computed now, so that the iteration's cached state and the normalized graph can be freed.
        predictions.count();
        held.unpersist(false);
        g.unpersist();
        return new Result(predictions, residuals.size(), converged, residuals.toDoubleArray(),
                seconds.toDoubleArray());
    }

    private static java.util.Iterator<Tuple2<GraphBlock, float[]>> pairs(java.util.Iterator<GraphBlock> bi,
                                                                          java.util.Iterator<float[]> vi) {
        List<Tuple2<GraphBlock, float[]>> out = new ArrayList<>(1);
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

        double[] priors() {
            double all = Arrays.stream(count).sum();
            return Arrays.stream(count).mapToDouble(k -> k / all).toArray();
        }
    }

    /**
     * Core's final decisions on Y: rows normalized, class mass normalization (the unlabeled rows' mass per
     * class scaled to the labeled proportions, then rows normalized again), then labels and confidences.
     */
    private static Dataset<Row> finish(SparkGraph graph, BlockedGraph g, JavaRDD<float[]> y, LabelCounts counts,
                                       boolean classMassNormalization) {
        int[] classes = counts.classes();
        int c = classes.length;
        JavaRDD<float[]> normalized = y.map(v -> normalizeRows(v.clone(), c));
        if (classMassNormalization) {
            normalized.persist(StorageLevel.MEMORY_AND_DISK());
            List<double[]> parts = new ArrayList<>(g.blocks.zipPartitions(normalized, SparkPropagation::pairs)
                    .map(p -> unlabeledMass(p._1(), p._2(), c)).collect());
            parts.sort((a, b) -> Double.compare(a[c], b[c]));
            double[] mass = new double[c];
            for (double[] p : parts) {
                for (int k = 0; k < c; k++) {
                    mass[k] += p[k];
                }
            }
            double total = Arrays.stream(mass).sum();
            double[] prior = counts.priors();
            double[] scale = new double[c];
            for (int k = 0; k < c; k++) {
                scale[k] = mass[k] > 0 ? prior[k] * total / mass[k] : 0;
            }
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
                return normalizeRows(v, c);
            });
        }
        JavaRDD<Row> rows = g.blocks.zipPartitions(normalized, SparkPropagation::pairs).flatMap(p -> {
            GraphBlock b = p._1();
            Prediction pred = Prediction.of(classes, p._2());
            List<Row> out = new ArrayList<>(b.rows());
            for (int i = 0; i < b.rows(); i++) {
                out.add(RowFactory.create(b.ids[i], pred.label()[i], pred.confidence()[i],
                        Arrays.copyOfRange(p._2(), i * c, (i + 1) * c)));
            }
            return out.iterator();
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

    private static float[] normalizeRows(float[] y, int c) {
        for (int i = 0; i < y.length / c; i++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += y[i * c + k];
            }
            if (s > 0) {
                for (int k = 0; k < c; k++) {
                    y[i * c + k] = (float) (y[i * c + k] / s);
                }
            }
        }
        return y;
    }
}
