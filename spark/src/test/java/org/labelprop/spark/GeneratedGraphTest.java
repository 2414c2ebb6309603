package org.labelprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.spark.BlockedGraph.Edge;
import org.labelprop.spark.BlockedGraph.Node;

/** The scale benchmark's graph built in place equals the same graph through the edge-list pipeline. */
class GeneratedGraphTest {
    private static JavaSparkContext sc() {
        return new JavaSparkContext(LocalSpark.session().sparkContext());
    }

    /** Every part of a block, by name. */
    private static final Map<String, Function<GraphBlock, Object>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("number", b -> b.block);
        PARTS.put("first row", b -> b.first);
        PARTS.put("ids", b -> b.ids);
        PARTS.put("labels", b -> b.labels);
        PARTS.put("rowPtr", b -> b.rowPtr);
        PARTS.put("columns", b -> b.col);
        PARTS.put("weights", b -> b.weight);
        PARTS.put("halo blocks", b -> b.haloBlock);
        PARTS.put("halo starts", b -> b.haloStart);
        PARTS.put("halo rows", b -> b.haloRow);
        PARTS.put("send blocks", b -> b.sendBlock);
        PARTS.put("send starts", b -> b.sendStart);
        PARTS.put("send rows", b -> b.sendRow);
    }

    /**
     * Edge for edge, halo and send plans included: the in-place blocks against the generator's edges (repeats
     * as generated) summed, symmetrized by averaging (which halves any edge present in one direction only, so
     * an asymmetric generator would fail here) and shuffled to their blocks.
     */
    private static void assertInPlaceEqualsEdgeList(GeneratedGraph gen, int blocks) {
        long rows = gen.rows();
        long blockRows = BlockedGraph.blockRows(rows, blocks);
        BlockedGraph inPlace = BlockedGraph.fromBlockRows(gen.blocks(sc(), blockRows), rows, blockRows);
        List<Long> all = new ArrayList<>();
        for (long i = 0; i < rows; i++) {
            all.add(i);
        }
        JavaRDD<Long> indices = sc().parallelize(all, 3);
        JavaRDD<Edge> edges = indices.flatMap(i -> {
            List<Edge> out = new ArrayList<>();
            gen.forEachNeighbour(i, j -> out.add(new Edge(i, j, 1f)));
            return out.iterator();
        });
        JavaRDD<Node> nodes = indices.map(i -> new Node(i, i, gen.label(i)));
        BlockedGraph fromEdges = BlockedGraph.build(
                EdgeLists.symmetrize(EdgeLists.sumRepeats(edges, false), Symmetrization.AVERAGE), nodes, rows, blockRows);
        List<GraphBlock> got = new ArrayList<>(inPlace.blocks.collect());
        List<GraphBlock> want = new ArrayList<>(fromEdges.blocks.collect());
        got.sort(Comparator.comparingInt(b -> b.block));
        want.sort(Comparator.comparingInt(b -> b.block));
        assertEquals(fromEdges.blockCount, inPlace.blockCount);
        assertEquals(want.size(), got.size());
        for (int k = 0; k < want.size(); k++) {
            for (Map.Entry<String, Function<GraphBlock, Object>> part : PARTS.entrySet()) {
                Object w = part.getValue().apply(want.get(k));
                Object g = part.getValue().apply(got.get(k));
                assertTrue(Objects.deepEquals(w, g), "block " + k + ", " + part.getKey() + ": expected "
                        + Arrays.deepToString(new Object[] {w}) + " but was " + Arrays.deepToString(new Object[] {g}));
            }
        }
        inPlace.unpersist();
        fromEdges.unpersist();
    }

    @Test
    void inPlaceBlocksEqualTheEdgeListGraphEdgeForEdge() {
        // 1,003 rows: the last class and the last block are longer and shorter than the others.
        GeneratedGraph gen = new GeneratedGraph(1003, 10, 4, 2);
        assertInPlaceEqualsEdgeList(gen, 4);
        assertInPlaceEqualsEdgeList(gen, 1);
    }

    @Test
    void repeatedEdgesAreSummedAsTheEdgeListSumsThem() {
        // Classes of 10 rows: offset 16 wraps onto -4, so those edges come twice and weigh 2.
        GeneratedGraph gen = new GeneratedGraph(100, 10, 3, 1);
        BlockedGraph.BlockRows b = gen.block(0, 0, 100);
        boolean doubled = false;
        for (float w : b.weight()) {
            doubled |= w == 2f;
        }
        assertTrue(doubled, "some edge weighs 2");
        assertInPlaceEqualsEdgeList(gen, 3);
    }

    @Test
    void blocksOutOfPlaceAreRefused() {
        GeneratedGraph gen = new GeneratedGraph(1000, 10, 2, 1);
        // Blocks of 250 rows make 4 blocks; generated as blocks of 500 rows they are 2 partitions.
        assertThrows(IllegalArgumentException.class,
                () -> BlockedGraph.fromBlockRows(gen.blocks(sc(), 500), 1000, 250));
    }
}
