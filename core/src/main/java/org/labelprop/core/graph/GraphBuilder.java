package org.labelprop.core.graph;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.DataException;
import org.labelprop.core.Memory;
import org.labelprop.core.Parallel;

/**
 * Turns neighbour lists or edge lists into the weighted, symmetrized {@link CsrGraph} the algorithms
 * run on. Backend-independent: every backend's kNN output passes through here, so weighting and
 * symmetrization are defined once.
 */
public final class GraphBuilder {
    private GraphBuilder() {
    }

    /**
     * The kNN graph: row i's edges go to its neighbours, weighted from their distances, then symmetrized.
     * A neighbour equal to the row itself (present when the search included self) is kept as a self-loop.
     */
    public static CsrGraph fromNeighbors(Neighbors nb, Weighting weighting, float sigma, Symmetrization symmetrization) {
        return fromNeighbors(nb, weighting, sigma, symmetrization, null);
    }

    /**
     * {@link #fromNeighbors(Neighbors, Weighting, float, Symmetrization)} with its passes over rows on {@code pool}
     * (null: on the calling thread), the same graph on any thread count: one thread took 0.74-0.80 s for 1,000,000
     * rows of 10 neighbours (docs/benchmarks.md, "Twelfth pass").
     */
    public static CsrGraph fromNeighbors(Neighbors nb, Weighting weighting, float sigma, Symmetrization symmetrization,
                                         ForkJoinPool pool) {
        int n = nb.rows();
        int k = nb.k();
        int edges = EdgeLimit.edgeCount((long) n * k);
        int[] rowPtr = new int[n + 1];
        int[] col = new int[edges];
        float[] weight = new float[edges];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i * k;
                float dk = k == 0 ? 0f : nb.distance()[base + k - 1];
                for (int j = 0; j < k; j++) {
                    col[base + j] = nb.index()[base + j];
                    weight[base + j] = weighting.weight(nb.distance()[base + j], dk, sigma);
                }
                sortRowByColumn(col, weight, base, base + k);
                rowPtr[i + 1] = base + k;
            }
        });
        return symmetrize(new CsrGraph(n, rowPtr, col, weight), symmetrization, pool);
    }

    /**
     * Sorts one row's (column, weight) pairs by column, equal columns keeping their order (an edge list's repeats
     * are summed in the order given): insertion sort for the short rows of kNN graphs, fastutil's stable merge sort
     * for long rows (hubs of a given graph).
     */
    static void sortRowByColumn(int[] col, float[] weight, int from, int to) {
        if (to - from > 32) {
            it.unimi.dsi.fastutil.Arrays.mergeSort(from, to, (a, b) -> Integer.compare(col[a], col[b]), (a, b) -> {
                int c = col[a];
                col[a] = col[b];
                col[b] = c;
                float w = weight[a];
                weight[a] = weight[b];
                weight[b] = w;
            });
            return;
        }
        for (int a = from + 1; a < to; a++) {
            int c = col[a];
            float w = weight[a];
            int b = a - 1;
            while (b >= from && col[b] > c) {
                col[b + 1] = col[b];
                weight[b + 1] = weight[b];
                b--;
            }
            col[b + 1] = c;
            weight[b + 1] = w;
        }
    }

    /**
     * A graph from an edge list over {@code rows} nodes: edges sorted by (source, target), weights of repeated
     * edges summed in the order given (as scipy does), self-loops dropped unless kept, then symmetrized.
     *
     * @param weight edge weights, or null for all 1
     */
    public static CsrGraph fromEdges(int rows, int[] src, int[] dst, float[] weight, Symmetrization symmetrization,
                                     boolean keepSelfLoops) {
        return fromEdges(rows, src, dst, weight, symmetrization, keepSelfLoops, null);
    }

    /** {@link #fromEdges(int, int[], int[], float[], Symmetrization, boolean)}, sorted and symmetrized on {@code pool}. */
    public static CsrGraph fromEdges(int rows, int[] src, int[] dst, float[] weight, Symmetrization symmetrization,
                                     boolean keepSelfLoops, ForkJoinPool pool) {
        int m = src.length;
        if (dst.length != m || (weight != null && weight.length != m)) {
            throw new IllegalArgumentException("src, dst and weight lengths differ");
        }
        for (int e = 0; e < m; e++) {
            if (src[e] < 0 || src[e] >= rows || dst[e] < 0 || dst[e] >= rows) {
                throw new DataException("edge " + (e + 1) + " (" + src[e] + ", " + dst[e]
                        + ") names a node outside [0, " + rows + ")");
            }
        }
        // Each edge to its source's row, in the order given; then each row sorted by target, stably, and its
        // repeats summed in that order: the rows stay in cache, where sorting edge ids (fastutil's two-key radix
        // sort) left src, dst and weight to be read through them at random. 50 million random edges: 7.7-12.5 s
        // for the whole build against 17.6-18.0 s (docs/benchmarks.md, "Twelfth pass").
        int[] rowPtr = new int[rows + 1];
        for (int e = 0; e < m; e++) {
            rowPtr[src[e] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        int[] next = java.util.Arrays.copyOf(rowPtr, rows);
        int[] col = new int[m];
        float[] w = new float[m];
        for (int e = 0; e < m; e++) {
            int slot = next[src[e]]++;
            col[slot] = dst[e];
            w[slot] = weight == null ? 1f : weight[e];
        }
        // Kept entries per row after repeats are summed and self-loops dropped, packed at the row's start.
        int[] kept = new int[rows];
        Parallel.forRows(pool, rows, (from, to) -> {
            for (int i = from; i < to; i++) {
                kept[i] = sumRepeats(i, col, w, rowPtr[i], rowPtr[i + 1], keepSelfLoops);
            }
        });
        int[] packedPtr = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            if (kept[i] < 0) {
                // Thrown here, on the caller's thread, for the first such edge in (source, target) order.
                throw new DataException("edge (" + i + ", " + col[rowPtr[i] + ~kept[i]] + ") is repeated with weights "
                        + "that sum past the largest float, " + Float.MAX_VALUE + "; scale the weights down");
            }
            packedPtr[i + 1] = packedPtr[i] + kept[i];
        }
        int out = packedPtr[rows];
        int[] colTrim = out == m ? col : new int[out];
        float[] wTrim = out == m ? w : new float[out];
        if (out != m) {
            Parallel.forRows(pool, rows, (from, to) -> {
                for (int i = from; i < to; i++) {
                    System.arraycopy(col, rowPtr[i], colTrim, packedPtr[i], kept[i]);
                    System.arraycopy(w, rowPtr[i], wTrim, packedPtr[i], kept[i]);
                }
            });
        }
        return symmetrize(new CsrGraph(rows, packedPtr, colTrim, wTrim), symmetrization, pool);
    }

    /**
     * Row {@code row}'s entries [from, to) sorted by column, equal columns keeping their order, then each repeated
     * column's weights summed in that order into its first entry, self-loops dropped unless kept; the kept
     * entries moved to the front. Returns how many are kept, or where ({@code ~place}, a negative number) the first
     * sum passed the largest float.
     */
    private static int sumRepeats(int row, int[] col, float[] w, int from, int to, boolean keepSelfLoops) {
        sortRowByColumn(col, w, from, to);
        int out = from;
        for (int p = from; p < to; p++) {
            if (col[p] == row && !keepSelfLoops) {
                continue;
            }
            if (out > from && col[out - 1] == col[p]) {
                w[out - 1] += w[p];
                if (w[out - 1] == Float.POSITIVE_INFINITY) {
                    return ~(out - 1 - from);
                }
                continue;
            }
            col[out] = col[p];
            w[out] = w[p];
            out++;
        }
        return out - from;
    }

    /** Combines W with its transpose, row by row as a merge of two ascending column lists. */
    public static CsrGraph symmetrize(CsrGraph w, Symmetrization symmetrization) {
        return symmetrize(w, symmetrization, null);
    }

    /** {@link #symmetrize(CsrGraph, Symmetrization)} with its passes over rows on {@code pool} (null: this thread). */
    public static CsrGraph symmetrize(CsrGraph w, Symmetrization symmetrization, ForkJoinPool pool) {
        if (symmetrization == Symmetrization.NONE) {
            return w;
        }
        CsrGraph t = w.transpose(pool);
        int n = w.rows();
        // First pass counts each merged row, second fills them: exact sizes, no growing lists.
        int[] size = new int[n];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                size[i] = merge(w, t, i, symmetrization, null, null, 0);
            }
        });
        int[] rowPtr = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += size[i];
            // Checked while adding up: past 2^31 the int offsets would wrap.
            rowPtr[i + 1] = EdgeLimit.edgeCount(total);
        }
        Memory.require(8L * rowPtr[n] + 4L * n, "symmetrized graph of " + rowPtr[n] + " edges");
        int[] col = new int[EdgeLimit.edgeCount(rowPtr[n])];
        float[] weight = new float[col.length];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                merge(w, t, i, symmetrization, col, weight, rowPtr[i]);
            }
        });
        // Every rule keeps or drops (i, j) and (j, i) together (Symmetrization#combine).
        return new CsrGraph(n, rowPtr, col, weight, true);
    }

    /** Merges row i of W and W^T into col/weight from {@code at}; with null outputs only counts. */
    private static int merge(CsrGraph w, CsrGraph t, int i, Symmetrization s, int[] col, float[] weight, int at) {
        int[] wc = w.col();
        float[] ww = w.weight();
        int[] tc = t.col();
        float[] tw = t.weight();
        int a = w.rowPtr()[i];
        int aEnd = w.rowPtr()[i + 1];
        int b = t.rowPtr()[i];
        int bEnd = t.rowPtr()[i + 1];
        int count = 0;
        while (a < aEnd || b < bEnd) {
            int ca = a < aEnd ? wc[a] : Integer.MAX_VALUE;
            int cb = b < bEnd ? tc[b] : Integer.MAX_VALUE;
            int c = Math.min(ca, cb);
            boolean inW = ca == c;
            boolean inT = cb == c;
            float x = inW ? ww[a++] : 0f;
            float y = inT ? tw[b++] : 0f;
            float value = s.combine(inW, x, inT, y);
            if (Float.isNaN(value)) {
                continue;
            }
            if (col != null) {
                col[at + count] = c;
                weight[at + count] = value;
            }
            count++;
        }
        return count;
    }
}
