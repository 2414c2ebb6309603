package org.labelprop.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.labelprop.core.algo.PoissonLearning;
import scala.Tuple2;

/**
 * Poisson learning's step count, as core's {@code PoissonLearning} sets it: a lazy random walk v <- (v + W
 * D^-1 v) / 2 from the uniform distribution on the labeled rows, until it is within 1/n of its stationary
 * distribution (degrees / total degree) everywhere, between minIter and maxIter steps. In double, as core
 * computes it, with v / d crossing blocks through the halo.
 */
final class PoissonWalk {
    private PoissonWalk() {
    }

    /** A block's walk state and whether it is within 1/n of the stationary distribution on every row. */
    record Walk(double[] v, boolean mixed) implements java.io.Serializable {
    }

    static int mixingSteps(BlockedGraph w, JavaRDD<double[]> degree, long labeled, PoissonLearning.Options options) {
        double total = degree.map(d -> java.util.Arrays.stream(d).sum()).reduce(Double::sum);
        long n = w.rows;
        JavaRDD<Tuple2<GraphBlock, double[]>> withDegree = w.blocks.zipPartitions(degree, SparkPropagation::pairs);
        JavaRDD<double[]> v = w.blocks.map(b -> {
            double[] start = new double[b.rows()];
            for (int i = 0; i < b.rows(); i++) {
                start[i] = b.labels[i] >= 0 ? 1.0 / labeled : 0;
            }
            return start;
        });
        JavaRDD<Walk> held = null;
        int t = 0;
        boolean mixed = false;
        while (t < options.maxIter() && (t < options.minIter() || !mixed)) {
            JavaRDD<double[]> scaled = withDegree.zipPartitions(v, SparkPropagation::pairs).map(p -> {
                double[] s = new double[p._2().length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = p._1()._2()[i] == 0 ? 0 : p._2()[i] / p._1()._2()[i];
                }
                return s;
            });
            scaled.persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<double[]> halo = w.exchange(scaled, 1, double[]::new);
            JavaRDD<Walk> next = withDegree.zipPartitions(scaled, SparkPropagation::pairs)
                    .zipPartitions(halo, (pi, hi) -> {
                        List<Walk> out = new ArrayList<>(1);
                        while (pi.hasNext()) {
                            Tuple2<Tuple2<GraphBlock, double[]>, double[]> p = pi.next();
                            GraphBlock b = p._1()._1();
                            double[] d = p._1()._2();
                            double[] s = p._2();
                            double[] h = hi.next();
                            double[] nv = new double[b.rows()];
                            boolean ok = true;
                            for (int i = 0; i < b.rows(); i++) {
                                double sum = 0;
                                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                                    int j = b.col[e];
                                    sum += b.weight[e] * (j < b.rows() ? s[j] : h[j - b.rows()]);
                                }
                                // v_i recovered from v_i / d_i would lose rows without degree: keep v itself.
                                nv[i] = 0.5 * ((d[i] == 0 ? 0 : s[i] * d[i]) + sum);
                                ok &= Math.abs(nv[i] - d[i] / total) <= 1.0 / n;
                            }
                            out.add(new Walk(nv, ok));
                        }
                        return out.iterator();
                    });
            next.persist(StorageLevel.MEMORY_AND_DISK());
            if ((t + 1) % 10 == 0) {
                next.rdd().localCheckpoint();
            }
            mixed = next.map(Walk::mixed).collect().stream().allMatch(x -> x);
            scaled.unpersist(false);
            if (held != null) {
                held.unpersist(false);
            }
            held = next;
            v = next.map(Walk::v);
            t++;
        }
        if (held != null) {
            held.unpersist(false);
        }
        return t;
    }
}
