package org.labelprop.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.spark.BlockedGraph.Edge;
import scala.Tuple2;

/** Core's edge-list rules ({@code GraphBuilder}) on distributed edges: repeats summed, then symmetrized. */
final class EdgeLists {
    private EdgeLists() {
    }

    /** Weights of repeated (src, dst) pairs summed, as scipy and core do; self-loops dropped unless kept. */
    static JavaRDD<Edge> sumRepeats(JavaRDD<Edge> edges, boolean keepSelfLoops) {
        return edges.filter(e -> keepSelfLoops || e.src() != e.dst())
                .mapToPair(e -> new Tuple2<>(new Tuple2<>(e.src(), e.dst()), e.weight()))
                .reduceByKey(Float::sum)
                .map(t -> new Edge(t._1()._1(), t._1()._2(), t._2()));
    }

    /**
     * W made symmetric as core's {@link Symmetrization} says: both directions of a pair meet under one key
     * and leave with the pair's combined weight (a self-loop is its own transpose and keeps its weight).
     * Expects repeats already summed.
     */
    static JavaRDD<Edge> symmetrize(JavaRDD<Edge> edges, Symmetrization s) {
        if (s == Symmetrization.NONE) {
            return edges;
        }
        return edges.mapToPair(e -> {
            boolean forward = e.src() <= e.dst();
            long lo = forward ? e.src() : e.dst();
            long hi = forward ? e.dst() : e.src();
            // (weight lo->hi, weight hi->lo), NaN where that direction is absent.
            float[] pair = forward ? new float[] {e.weight(), Float.NaN} : new float[] {Float.NaN, e.weight()};
            return new Tuple2<>(new Tuple2<>(lo, hi), pair);
        }).reduceByKey((a, b) -> new float[] {Float.isNaN(a[0]) ? b[0] : a[0], Float.isNaN(a[1]) ? b[1] : a[1]})
                .flatMap(t -> {
                    long lo = t._1()._1();
                    long hi = t._1()._2();
                    List<Edge> out = new ArrayList<>(2);
                    if (lo == hi) {
                        out.add(new Edge(lo, hi, t._2()[0]));
                        return out.iterator();
                    }
                    boolean inW = !Float.isNaN(t._2()[0]);
                    boolean inT = !Float.isNaN(t._2()[1]);
                    float value = s.combine(inW, t._2()[0], inT, t._2()[1]);
                    if (Float.isNaN(value)) {
                        return out.iterator();
                    }
                    out.add(new Edge(lo, hi, value));
                    out.add(new Edge(hi, lo, value));
                    return out.iterator();
                });
    }
}
