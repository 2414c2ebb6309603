package org.labelprop.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The normalized operators of core's algorithms (core's {@code GraphNormalization}), computed block by
 * block: the same formulas, with the sums that span blocks (in-degrees) gathered through the halo.
 */
final class Normalization {
    private Normalization() {
    }

    /** P = D^-1 W with D the row sums: rows are whole inside their block, so no data moves. */
    static BlockedGraph randomWalk(BlockedGraph g) {
        return g.withBlocks(g.blocks.map(b -> {
            float[] p = new float[b.weight.length];
            for (int i = 0; i < b.rows(); i++) {
                double d = 0;
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    d += b.weight[e];
                }
                double inv = d == 0 ? 0 : 1.0 / d;
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    p[e] = (float) (b.weight[e] * inv);
                }
            }
            return b.withWeights(p);
        }));
    }

    /**
     * S = D^-1/2 W D^-1/2 with the diagonal zeroed, D the column sums of W without its diagonal (rows with
     * none count as 1), as core defines it. Column sums reach across blocks: each block sums what it holds,
     * sends the halo part to the rows' owners, and the owners send back 1/sqrt(d) for the halo.
     */
    static BlockedGraph symmetricNormalized(BlockedGraph g) {
        JavaRDD<float[]> haloPartial = g.blocks.map(b -> {
            float[] sum = new float[b.haloRows()];
            for (int e = 0; e < b.col.length; e++) {
                if (b.col[e] >= b.rows()) {
                    sum[b.col[e] - b.rows()] += b.weight[e];
                }
            }
            return sum;
        });
        JavaRDD<float[]> fromOthers = g.sumIntoOwners(haloPartial);
        JavaRDD<float[]> invSqrt = g.blocks.zipPartitions(fromOthers, (bi, oi) -> {
            List<float[]> out = new ArrayList<>(1);
            while (bi.hasNext()) {
                GraphBlock b = bi.next();
                float[] others = oi.next();
                double[] deg = new double[b.rows()];
                for (int i = 0; i < b.rows(); i++) {
                    for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                        if (b.col[e] < b.rows() && b.col[e] != i) {
                            deg[b.col[e]] += b.weight[e];
                        }
                    }
                }
                float[] inv = new float[b.rows()];
                for (int i = 0; i < b.rows(); i++) {
                    double d = deg[i] + others[i];
                    inv[i] = (float) (d == 0 ? 1.0 : 1.0 / Math.sqrt(d));
                }
                out.add(inv);
            }
            return out.iterator();
        });
        invSqrt.cache();
        JavaRDD<float[]> haloInvSqrt = g.exchange(invSqrt, 1);
        BlockedGraph s = g.withBlocks(g.blocks.zipPartitions(invSqrt, SparkPropagation::pairs)
                .zipPartitions(haloInvSqrt, (pi, hi) -> {
            List<GraphBlock> out = new ArrayList<>(1);
            while (pi.hasNext()) {
                Tuple2<GraphBlock, float[]> pair = pi.next();
                GraphBlock b = pair._1();
                float[] own = pair._2();
                float[] halo = hi.next();
                float[] w = new float[b.weight.length];
                for (int i = 0; i < b.rows(); i++) {
                    for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                        int c = b.col[e];
                        double other = c < b.rows() ? own[c] : halo[c - b.rows()];
                        w[e] = c == i ? 0f : (float) (b.weight[e] * (double) own[i] * other);
                    }
                }
                out.add(b.withWeights(w));
            }
            return out.iterator();
        }));
        s.blocks.count();
        invSqrt.unpersist(false);
        return s;
    }
}
