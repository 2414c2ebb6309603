package org.labelprop.core.backend;

import org.labelprop.core.Memory;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The k smallest (distance, index) pairs seen so far, kept sorted in flat arrays: offering a candidate worse
 * than the current k-th costs one comparison, and a better one is inserted by moving the worse entries one
 * place up. For the k of kNN graphs (10-30) that beats a binary heap, whose sift-down takes a hard-to-predict
 * branch per level: in an inverted-file search, where every list's search starts with empty lists, the
 * heap's sift-down was a fifth of the profile. Ties order by index, the rule that makes every backend's
 * graph the same. One instance per query row.
 *
 * <p>{@link #within} makes the other kind of list, which keeps every candidate under its ceiling instead of the k
 * best ({@link Backend#pairsWithin}): the same two calls, so the searches that fill top-k lists fill it too.
 */
public final class TopK {
    private final int k;
    private float[] dist;
    private int[] index;
    /** A {@link #within} list: appends every offer, unsorted, growing as needed. */
    private final boolean keepsAll;
    /** Candidates farther than this are not wanted even while fewer than k are held. */
    private final float ceiling;
    private int size;

    public TopK(int k) {
        this(k, Float.POSITIVE_INFINITY);
    }

    /** A list that callers fill only with candidates at distance at most {@code ceiling} (see {@link #bound}). */
    public TopK(int k, float ceiling) {
        this(k, ceiling, k, false);
    }

    private TopK(int k, float ceiling, int capacity, boolean keepsAll) {
        this.k = k;
        this.ceiling = ceiling;
        this.dist = new float[capacity];
        this.index = new int[capacity];
        this.keepsAll = keepsAll;
    }

    /**
     * A list that keeps every candidate offered to it, in any number; its {@link #bound} is always the ceiling, so
     * callers offer it exactly the candidates at distance at most {@code ceiling}.
     */
    public static TopK within(float ceiling) {
        return new TopK(Integer.MAX_VALUE, ceiling, 16, true);
    }


    /**
     * The current k-th distance, or the ceiling (+infinity unless given) while fewer than k are held
     * (-infinity when k is 0): the pre-filter callers apply before {@link #offer}.
     */
    public float bound() {
        return size < k ? ceiling : k == 0 ? Float.NEGATIVE_INFINITY : dist[k - 1];
    }

    public void offer(float d, int i) {
        int p;
        if (size < k) {
            // Only while a top-k list fills (its first k offers), and for every offer to a within list.
            if (keepsAll) {
                append(d, i);
                return;
            }
            p = size++;
        } else if (k > 0 && Neighbors.precedes(d, i, dist[k - 1], index[k - 1])) {
            p = k - 1;
        } else {
            return;
        }
        while (p > 0 && Neighbors.precedes(d, i, dist[p - 1], index[p - 1])) {
            dist[p] = dist[p - 1];
            index[p] = index[p - 1];
            p--;
        }
        dist[p] = d;
        index[p] = i;
    }

    private void append(float d, int i) {
        if (size == dist.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16L, 2L * size));
            if (grown == size) {
                throw new IllegalStateException("more than " + size + " candidates within one row's ceiling");
            }
            dist = java.util.Arrays.copyOf(dist, grown);
            index = java.util.Arrays.copyOf(index, grown);
        }
        dist[size] = d;
        index[size] = i;
        size++;
    }

    /**
     * A {@link #within} list's pairs in ascending index order (each index offered once, as a search does) to
     * {@code outIndex/outDist} at {@code offset}, emptying the list.
     */
    public void drainByIndex(int[] outIndex, float[] outDist, int offset) {
        long[] order = new long[size];
        for (int p = 0; p < size; p++) {
            order[p] = (long) index[p] << 32 | p;
        }
        java.util.Arrays.sort(order);
        for (int p = 0; p < size; p++) {
            int from = (int) order[p];
            outIndex[offset + p] = index[from];
            outDist[offset + p] = dist[from];
        }
        size = 0;
        // Released: the lists of a whole search are drained one by one into a graph as large as all of them.
        dist = new float[0];
        index = new int[0];
    }

    /**
     * The {@link #within} lists of rows 0 .. n - 1 as one graph, row i's edges its list by index with the distances
     * as weights; the lists are emptied.
     */
    public static CsrGraph drainByIndex(TopK[] lists) {
        int n = lists.length;
        int[] rowPtr = new int[n + 1];
        long edges = 0;
        for (int i = 0; i < n; i++) {
            edges += lists[i].size;
            if (edges > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than 2^31 pairs within the ceilings: too many for one graph");
            }
            rowPtr[i + 1] = (int) edges;
        }
        Memory.require(8 * edges, "pairs within the ceilings of " + n + " rows");
        int[] col = new int[(int) edges];
        float[] weight = new float[(int) edges];
        for (int i = 0; i < n; i++) {
            lists[i].drainByIndex(col, weight, rowPtr[i]);
        }
        return CsrGraph.of(n, rowPtr, col, weight);
    }

    /**
     * Writes the held pairs in ascending (distance, index) order to {@code outIndex/outDist} at
     * {@code offset}, then -1 and +infinity up to k places, emptying the list.
     */
    public void drainSorted(int[] outIndex, float[] outDist, int offset) {
        if (keepsAll) {
            throw new IllegalStateException("a within list drains by index");
        }
        System.arraycopy(index, 0, outIndex, offset, size);
        System.arraycopy(dist, 0, outDist, offset, size);
        java.util.Arrays.fill(outIndex, offset + size, offset + k, -1);
        java.util.Arrays.fill(outDist, offset + size, offset + k, Float.POSITIVE_INFINITY);
        size = 0;
    }
}
