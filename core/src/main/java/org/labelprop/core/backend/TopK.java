package org.labelprop.core.backend;

import org.labelprop.core.graph.Neighbors;

/**
 * The k smallest (distance, index) pairs seen so far, kept sorted in flat arrays: offering a candidate worse
 * than the current k-th costs one comparison, and a better one is inserted by moving the worse entries one
 * place up. For the k of kNN graphs (10-30) that beats a binary heap, whose sift-down takes a hard-to-predict
 * branch per level: in an inverted-file search, where every list's search starts with empty lists, the
 * heap's sift-down was a fifth of the profile. Ties order by index, the rule that makes every backend's
 * graph the same. One instance per query row.
 */
public final class TopK {
    private final int k;
    private final float[] dist;
    private final int[] index;
    /** Candidates farther than this are not wanted even while fewer than k are held. */
    private final float ceiling;
    private int size;

    public TopK(int k) {
        this(k, Float.POSITIVE_INFINITY);
    }

    /** A list that callers fill only with candidates at distance at most {@code ceiling} (see {@link #bound}). */
    public TopK(int k, float ceiling) {
        this.k = k;
        this.ceiling = ceiling;
        this.dist = new float[k];
        this.index = new int[k];
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

    /**
     * Writes the held pairs in ascending (distance, index) order to {@code outIndex/outDist} at
     * {@code offset}, then -1 and +infinity up to k places, emptying the list.
     */
    public void drainSorted(int[] outIndex, float[] outDist, int offset) {
        System.arraycopy(index, 0, outIndex, offset, size);
        System.arraycopy(dist, 0, outDist, offset, size);
        java.util.Arrays.fill(outIndex, offset + size, offset + k, -1);
        java.util.Arrays.fill(outDist, offset + size, offset + k, Float.POSITIVE_INFINITY);
        size = 0;
    }
}
