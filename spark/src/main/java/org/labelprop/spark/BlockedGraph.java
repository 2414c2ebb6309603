package org.labelprop.spark;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongArrays;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A graph cut into blocks of consecutive rows, one {@link GraphBlock} per Spark partition (block b in
 * partition b), cached where it is built. Values attached to rows (Y, degrees) travel as one array per
 * block in an RDD with the same partitions; {@link #exchange} moves only the halo rows between blocks, the
 * one shuffle of an iteration.
 */
final class BlockedGraph {
    /** One edge by global row index. */
    record Edge(long src, long dst, float weight) implements Serializable {
    }

    /** One row: its global index, the caller's id, its label (-1 unlabeled). */
    record Node(long index, long id, int label) implements Serializable {
    }

    /** Values of some rows of block {@code from} (a float[] or double[]), sent to a block that needs them. */
    record Halo(int from, Object values) implements Serializable {
    }

    final JavaRDD<GraphBlock> blocks;
    final long rows;
    final long blockRows;
    final int blockCount;
    final Partitioner partitioner;

    private BlockedGraph(JavaRDD<GraphBlock> blocks, long rows, long blockRows, int blockCount) {
        this.blocks = blocks;
        this.rows = rows;
        this.blockRows = blockRows;
        this.blockCount = blockCount;
        this.partitioner = new HashPartitioner(blockCount);
    }

    /** Rows per block so that {@code rows} rows make at most {@code blocks} blocks, none empty. */
    static long blockRows(long rows, int blocks) {
        return Math.max(1, (rows + blocks - 1) / blocks);
    }

    /**
     * The rows of one block with their edges by global column: row i of the block is global row
     * {@code first + i}; its edges are {@code col[rowPtr[i]..rowPtr[i+1])}, columns ascending and distinct
     * (repeats summed), with their weights. What a block can build on its own before its halo is known.
     */
    record BlockRows(int block, long first, long[] ids, int[] labels, int[] rowPtr, long[] col, float[] weight)
            implements Serializable {
    }

    /**
     * Cuts a graph given as edges and nodes (global indices 0..rows-1, each edge once per direction it
     * exists in, repeated edges already summed) into blocks of {@code blockRows} rows, and works out which
     * halo rows each block needs and sends. Every edge is shuffled to its row's block. The result is
     * persisted.
     */
    static BlockedGraph build(JavaRDD<Edge> edges, JavaRDD<Node> nodes, long rows, long blockRows) {
        int blockCount = (int) ((rows + blockRows - 1) / blockRows);
        Partitioner p = new HashPartitioner(blockCount);
        JavaPairRDD<Integer, Edge> edgesByBlock = edges.mapToPair(e -> new Tuple2<>((int) (e.src() / blockRows), e));
        JavaPairRDD<Integer, Node> nodesByBlock = nodes.mapToPair(v -> new Tuple2<>((int) (v.index() / blockRows), v));
        // Key b lands in partition b (Integer hashes to itself), so block b sits in partition b from here on.
        JavaRDD<GraphBlock> raw = nodesByBlock.cogroup(edgesByBlock, p)
                .map(t -> localize(gather(t._1(), t._1() * blockRows, t._2()._1(), t._2()._2()), blockRows));
        return planned(raw, rows, blockRows, blockCount);
    }

    /**
     * A graph whose blocks were built where they are ({@code blocks}: one {@link BlockRows} per partition,
     * block b in partition b, blocks of {@code blockRows} rows, the last one possibly shorter): no edge
     * moves, only the halo plan (which rows each block reads from which) is exchanged. The result is
     * persisted.
     */
    static BlockedGraph fromBlockRows(JavaRDD<BlockRows> blocks, long rows, long blockRows) {
        int blockCount = (int) ((rows + blockRows - 1) / blockRows);
        if (blocks.getNumPartitions() != blockCount) {
            throw new IllegalArgumentException(rows + " rows in blocks of " + blockRows + " make " + blockCount
                    + " blocks, but the RDD has " + blocks.getNumPartitions() + " partitions");
        }
        JavaRDD<GraphBlock> raw = blocks.mapPartitionsWithIndex((partition, it) -> {
            List<GraphBlock> out = new ArrayList<>(1);
            while (it.hasNext()) {
                BlockRows b = it.next();
                long expectedRows = Math.min(blockRows, rows - (long) partition * blockRows);
                if (b.block() != partition || b.first() != partition * blockRows || b.ids().length != expectedRows
                        || !out.isEmpty()) {
                    throw new IllegalStateException("partition " + partition + " must hold exactly block " + partition
                            + " (rows from " + partition * blockRows + ", " + expectedRows + " of them), got block "
                            + b.block() + " of " + b.ids().length + " rows from " + b.first());
                }
                out.add(localize(b, blockRows));
            }
            return out.iterator();
        }, true);
        return planned(raw, rows, blockRows, blockCount);
    }

    /** Blocks with their send plans (from the halo requests of every block), persisted and computed. */
    private static BlockedGraph planned(JavaRDD<GraphBlock> raw, long rows, long blockRows, int blockCount) {
        Partitioner p = new HashPartitioner(blockCount);
        raw.persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<Integer, Tuple2<Integer, int[]>> requests = raw.flatMapToPair(b -> {
            List<Tuple2<Integer, Tuple2<Integer, int[]>>> out = new ArrayList<>();
            for (int h = 0; h < b.haloBlock.length; h++) {
                out.add(new Tuple2<>(b.haloBlock[h], new Tuple2<>(b.block, b.haloRowsOf(h))));
            }
            return out.iterator();
        }).partitionBy(p);
        JavaRDD<GraphBlock> planned = raw.zipPartitions(requests, (blockIt, reqIt) -> {
            List<GraphBlock> out = new ArrayList<>(1);
            while (blockIt.hasNext()) {
                out.add(withSendPlan(blockIt.next(), reqIt));
            }
            return out.iterator();
        });
        planned.persist(StorageLevel.MEMORY_AND_DISK());
        planned.count();
        raw.unpersist(false);
        return new BlockedGraph(planned, rows, blockRows, blockCount);
    }

    /** One block's nodes and edges (as shuffled to it, in any order) as rows in CSR form by global column. */
    private static BlockRows gather(int block, long first, Iterable<Node> nodeIt, Iterable<Edge> edgeIt) {
        List<Node> nodes = new ArrayList<>();
        nodeIt.forEach(nodes::add);
        nodes.sort((a, b) -> Long.compare(a.index(), b.index()));
        int rows = nodes.size();
        long[] ids = new long[rows];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            if (nodes.get(i).index() != first + i) {
                throw new IllegalStateException("block " + block + " misses row " + (first + i));
            }
            ids[i] = nodes.get(i).id();
            labels[i] = nodes.get(i).label();
        }
        List<Edge> edges = new ArrayList<>();
        edgeIt.forEach(edges::add);
        // Row by row, columns ascending: the order core's CSR graphs keep, so sums run in the same order.
        edges.sort((a, b) -> a.src() != b.src() ? Long.compare(a.src(), b.src()) : Long.compare(a.dst(), b.dst()));
        int[] rowPtr = new int[rows + 1];
        long[] col = new long[edges.size()];
        float[] weight = new float[edges.size()];
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            rowPtr[(int) (edge.src() - first) + 1]++;
            col[e] = edge.dst();
            weight[e] = edge.weight();
        }
        for (int i = 0; i < rows; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        return new BlockRows(block, first, ids, labels, rowPtr, col, weight);
    }

    /**
     * A block's rows with local columns: its own rows first, then one halo slot per row of another block
     * that its edges point to (sorted by global index, hence grouped by source block in ascending order).
     */
    private static GraphBlock localize(BlockRows b, long blockRows) {
        int block = b.block();
        long first = b.first();
        int rows = b.ids().length;
        long[] global = b.col();
        LongArrayList outside = new LongArrayList();
        for (long dst : global) {
            if (dst / blockRows != block) {
                outside.add(dst);
            }
        }
        long[] halo = outside.toLongArray();
        LongArrays.radixSort(halo);
        int haloCount = 0;
        for (int i = 0; i < halo.length; i++) {
            if (i == 0 || halo[i] != halo[i - 1]) {
                halo[haloCount++] = halo[i];
            }
        }
        halo = Arrays.copyOf(halo, haloCount);
        int[] col = new int[global.length];
        for (int e = 0; e < global.length; e++) {
            long dst = global[e];
            col[e] = dst / blockRows == block ? (int) (dst - first) : rows + Arrays.binarySearch(halo, dst);
        }
        int[] haloRow = new int[haloCount];
        int[] groupOf = new int[haloCount];
        int groups = 0;
        for (int s = 0; s < haloCount; s++) {
            int source = (int) (halo[s] / blockRows);
            haloRow[s] = (int) (halo[s] - source * blockRows);
            groups += s == 0 || source != halo[s - 1] / blockRows ? 1 : 0;
            groupOf[s] = source;
        }
        int[] haloBlock = new int[groups];
        int[] haloStart = new int[groups + 1];
        for (int s = 0, g = -1; s < haloCount; s++) {
            if (g < 0 || groupOf[s] != haloBlock[g]) {
                haloBlock[++g] = groupOf[s];
                haloStart[g] = s;
            }
        }
        haloStart[groups] = haloCount;
        return new GraphBlock(block, first, b.ids(), b.labels(), b.rowPtr(), col, b.weight(), haloBlock, haloStart,
                haloRow, new int[0], new int[] {0}, new int[0]);
    }

    private static GraphBlock withSendPlan(GraphBlock b, Iterator<Tuple2<Integer, Tuple2<Integer, int[]>>> requests) {
        List<Tuple2<Integer, int[]>> asks = new ArrayList<>();
        requests.forEachRemaining(r -> asks.add(r._2()));
        asks.sort((x, y) -> Integer.compare(x._1(), y._1()));
        int[] sendBlock = new int[asks.size()];
        int[] sendStart = new int[asks.size() + 1];
        for (int t = 0; t < asks.size(); t++) {
            sendBlock[t] = asks.get(t)._1();
            sendStart[t + 1] = sendStart[t] + asks.get(t)._2().length;
        }
        int[] sendRow = new int[sendStart[asks.size()]];
        for (int t = 0; t < asks.size(); t++) {
            System.arraycopy(asks.get(t)._2(), 0, sendRow, sendStart[t], asks.get(t)._2().length);
        }
        return b.withSendPlan(sendBlock, sendStart, sendRow);
    }

    /** The same blocks with new weights (same structure), computed per block; persisted. */
    BlockedGraph withBlocks(JavaRDD<GraphBlock> newBlocks) {
        newBlocks.persist(StorageLevel.MEMORY_AND_DISK());
        return new BlockedGraph(newBlocks, rows, blockRows, blockCount);
    }

    /**
     * The halo values each block needs: for block b, an array of b's halo rows x {@code width}, filled from
     * {@code values} (one array of rows x width per block, partitioned like the blocks). Only the rows
     * other blocks read are shuffled.
     */
    JavaRDD<float[]> exchange(JavaRDD<float[]> values, int width) {
        return exchange(values, width, float[]::new);
    }

    /** Allocates a primitive array of a length; Serializable, since tasks carry it. */
    interface ArrayOf<A> extends Serializable {
        A apply(int length);
    }

    /** {@link #exchange(JavaRDD, int)} for any primitive array type (double[] where float rounding matters). */
    <A> JavaRDD<A> exchange(JavaRDD<A> values, int width, ArrayOf<A> newArray) {
        JavaPairRDD<Integer, Halo> sent = blocks.zipPartitions(values, (bi, vi) -> {
            List<Tuple2<Integer, Halo>> out = new ArrayList<>();
            while (bi.hasNext()) {
                GraphBlock b = bi.next();
                A v = vi.next();
                for (int t = 0; t < b.sendBlock.length; t++) {
                    A rowsOut = newArray.apply((b.sendStart[t + 1] - b.sendStart[t]) * width);
                    for (int i = b.sendStart[t]; i < b.sendStart[t + 1]; i++) {
                        System.arraycopy(v, b.sendRow[i] * width, rowsOut, (i - b.sendStart[t]) * width, width);
                    }
                    out.add(new Tuple2<>(b.sendBlock[t], new Halo(b.block, rowsOut)));
                }
            }
            return out.iterator();
        }).mapToPair(t -> t).partitionBy(partitioner);
        return blocks.zipPartitions(sent, (bi, hi) -> {
            List<A> out = new ArrayList<>(1);
            while (bi.hasNext()) {
                GraphBlock b = bi.next();
                A halo = newArray.apply(b.haloRows() * width);
                hi.forEachRemaining(t -> {
                    int h = b.haloGroup(t._2().from());
                    Object v = t._2().values();
                    System.arraycopy(v, 0, halo, b.haloStart[h] * width, java.lang.reflect.Array.getLength(v));
                });
                out.add(halo);
            }
            return out.iterator();
        });
    }

    /**
     * The reverse of {@link #exchange}: each block holds a value per halo slot ({@code haloValues}, halo
     * rows x 1) meant for the row it names in another block; the result is, per block, the sum over all
     * blocks of the values meant for each of its rows (rows x 1). Used for column sums (in-degrees).
     */
    JavaRDD<float[]> sumIntoOwners(JavaRDD<float[]> haloValues) {
        JavaPairRDD<Integer, Halo> sent = blocks.zipPartitions(haloValues, (bi, vi) -> {
            List<Tuple2<Integer, Halo>> out = new ArrayList<>();
            while (bi.hasNext()) {
                GraphBlock b = bi.next();
                float[] v = vi.next();
                for (int h = 0; h < b.haloBlock.length; h++) {
                    out.add(new Tuple2<>(b.haloBlock[h],
                            new Halo(b.block, Arrays.copyOfRange(v, b.haloStart[h], b.haloStart[h + 1]))));
                }
            }
            return out.iterator();
        }).mapToPair(t -> t).partitionBy(partitioner);
        return blocks.zipPartitions(sent, (bi, hi) -> {
            List<float[]> out = new ArrayList<>(1);
            while (bi.hasNext()) {
                GraphBlock b = bi.next();
                List<Halo> received = new ArrayList<>();
                hi.forEachRemaining(t -> received.add(t._2()));
                // Sum in block order, so the result does not depend on the order messages arrived in.
                received.sort((x, y) -> Integer.compare(x.from(), y.from()));
                float[] sum = new float[b.rows()];
                for (Halo m : received) {
                    int t = Arrays.binarySearch(b.sendBlock, m.from());
                    float[] values = (float[]) m.values();
                    for (int i = 0; i < values.length; i++) {
                        sum[b.sendRow[b.sendStart[t] + i]] += values[i];
                    }
                }
                out.add(sum);
            }
            return out.iterator();
        });
    }

    /**
     * W^T on the same blocks: every edge reversed, halo and send plans made anew. For the symmetric graphs
     * of the defaults it equals W; for directed graphs (symmetrization none) it is what Poisson learning
     * iterates with.
     */
    BlockedGraph transpose() {
        long br = blockRows;
        JavaRDD<Edge> reversed = blocks.flatMap(b -> {
            List<Edge> out = new ArrayList<>(b.col.length);
            for (int i = 0; i < b.rows(); i++) {
                for (int e = b.rowPtr[i]; e < b.rowPtr[i + 1]; e++) {
                    out.add(new Edge(b.globalIndex(b.col[e], br), b.first + i, b.weight[e]));
                }
            }
            return out.iterator();
        });
        JavaRDD<Node> nodes = blocks.flatMap(b -> {
            List<Node> out = new ArrayList<>(b.rows());
            for (int i = 0; i < b.rows(); i++) {
                out.add(new Node(b.first + i, b.ids[i], b.labels[i]));
            }
            return out.iterator();
        });
        return build(reversed, nodes, rows, blockRows);
    }

    /** Frees the cached blocks. */
    void unpersist() {
        blocks.unpersist(false);
    }
}
