package org.labelprop.core.graph;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.Parallel;

/**
 * A weighted sparse graph in compressed sparse row form: the edges leaving row {@code i} are
 * {@code col[rowPtr[i] .. rowPtr[i+1])} with weights {@code weight[...]} at the same positions, columns
 * ascending within a row and without duplicates. Three flat arrays and no per-node objects: 12 bytes per
 * edge plus 4 per row. Java arrays cap a graph at fewer than 2^31 edges.
 */
public final class CsrGraph {
    private final int rows;
    private final int[] rowPtr;
    private final int[] col;
    private final float[] weight;
    /** Every edge (i, j) has its reverse (j, i): known from how the graph was built, never checked. */
    private final boolean symmetric;

    /**
     * A graph over the given arrays (kept, not copied), after checking every invariant: O(rows + edges).
     *
     * @throws IllegalArgumentException naming the first row that breaks one
     */
    public static CsrGraph of(int rows, int[] rowPtr, int[] col, float[] weight) {
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr must have rows + 1 = " + (rows + 1) + " entries starting at 0");
        }
        int edges = rowPtr[rows];
        if (col.length != edges || weight.length != edges) {
            throw new IllegalArgumentException("rowPtr ends at " + edges + " but col has " + col.length
                    + " and weight " + weight.length + " entries");
        }
        for (int i = 0; i < rows; i++) {
            int prev = -1;
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException("rowPtr decreases at row " + i);
            }
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                int c = col[e];
                if (c <= prev || c >= rows) {
                    throw new IllegalArgumentException("row " + i + ": columns must ascend within [0, " + rows
                            + "), found " + c + " after " + prev);
                }
                if (!(weight[e] >= 0) || weight[e] == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("row " + i + ": weight " + weight[e] + " of the edge to " + c
                            + " is not a finite non-negative number");
                }
                prev = c;
            }
        }
        return new CsrGraph(rows, rowPtr, col, weight);
    }

    public int rows() {
        return rows;
    }

    public int edges() {
        return rowPtr[rows];
    }

    /** Backing arrays, not copies: kernels read them in place. */
    public int[] rowPtr() {
        return rowPtr;
    }

    public int[] col() {
        return col;
    }

    public float[] weight() {
        return weight;
    }

    /** The same structure with other weights (shares rowPtr and col). */
    public CsrGraph withWeights(float[] newWeight) {
        return new CsrGraph(rows, rowPtr, col, newWeight, symmetric);
    }

    /**
     * Whether every edge (i, j) is known to have its reverse (j, i), whatever the weights: true for the graphs
     * {@link GraphBuilder} symmetrizes (and their reweightings and reorderings), false where nobody said, such
     * as {@link #of}'s. Then the edges into a row are those out of it, and W^T need not be built to follow
     * them. (Checking it costs a binary search per edge, a cache miss each: 1.2 s on a 1M-row, 17.5M-edge
     * graph on 2 cores, twice what building W^T costs.)
     */
    public boolean symmetricStructure() {
        return symmetric;
    }

    /** Sum of the weights leaving each row. */
    public double[] rowSums() {
        double[] sums = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                s += weight[e];
            }
            sums[i] = s;
        }
        return sums;
    }

    /** Weight of edge (i, j), or 0 when absent; binary search within the row. */
    public float weight(int i, int j) {
        int e = Arrays.binarySearch(col, rowPtr[i], rowPtr[i + 1], j);
        return e >= 0 ? weight[e] : 0f;
    }

    /** W^T, built with one counting pass; columns stay ascending because rows are visited in order. */
    public CsrGraph transpose() {
        return transpose(null);
    }

    /**
     * {@link #transpose()} on {@code pool} (null: this thread): the rows are cut into one range per thread, each
     * range counts its entries per column, and the counts give each range its own slots in every transposed row,
     * in row order, so the result is the one-thread transpose's. At most as many ranges as edges per row, so
     * that the per-range counts (ranges x rows ints) take no more memory than the transposed columns.
     */
    public CsrGraph transpose(ForkJoinPool pool) {
        int edges = edges();
        int ranges = pool == null || rows == 0 ? 1
                : (int) Math.max(1, Math.min(Math.min(pool.getParallelism(), (long) rows / Parallel.ROWS),
                        edges / rows));
        int[][] next = new int[ranges][rows];
        Parallel.forRanges(pool, ranges, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                int[] count = next[r];
                for (int e = rowPtr[rangeStart(r, ranges)]; e < rowPtr[rangeStart(r + 1, ranges)]; e++) {
                    count[col[e]]++;
                }
            }
        });
        // Column j's slots: range 0's entries first, then range 1's, and so on; next[r][j] becomes where range r's
        // entries of column j start.
        int[] tPtr = new int[rows + 1];
        int at = 0;
        for (int j = 0; j < rows; j++) {
            tPtr[j] = at;
            for (int r = 0; r < ranges; r++) {
                int count = next[r][j];
                next[r][j] = at;
                at += count;
            }
        }
        tPtr[rows] = at;
        int[] tCol = new int[edges];
        float[] tWeight = new float[edges];
        Parallel.forRanges(pool, ranges, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                int[] slots = next[r];
                for (int i = rangeStart(r, ranges); i < rangeStart(r + 1, ranges); i++) {
                    for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                        int slot = slots[col[e]]++;
                        tCol[slot] = i;
                        tWeight[slot] = weight[e];
                    }
                }
            }
        });
        return new CsrGraph(rows, tPtr, tCol, tWeight, symmetric);
    }

    /** The first row of range r of {@code ranges} equal ranges (rows when r = ranges). */
    private int rangeStart(int r, int ranges) {
        return (int) ((long) rows * r / ranges);
    }

    /** Unchecked: for this package's builders, whose arrays hold the invariants by construction. */
    CsrGraph(int rows, int[] rowPtr, int[] col, float[] weight) {
        this(rows, rowPtr, col, weight, false);
    }

    /** @param symmetric whether every edge has its reverse, as the builder knows from how it built them */
    CsrGraph(int rows, int[] rowPtr, int[] col, float[] weight, boolean symmetric) {
        this.rows = rows;
        this.rowPtr = rowPtr;
        this.col = col;
        this.weight = weight;
        this.symmetric = symmetric;
    }

    @Override
    public String toString() {
        return "CsrGraph[" + rows + " rows, " + edges() + " edges]";
    }
}
