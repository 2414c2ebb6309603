package org.labelprop.core.backend;

import org.labelprop.core.graph.Neighbors;

/**
 * The k smallest (distance, index) pairs seen so far, as a bounded max-heap on flat arrays: offering a
 * candidate worse than the current k-th costs one comparison, so scanning n candidates is O(n + k log k)
 * in the common case. Ties order by index, the rule that makes every backend's graph the same.
 * One instance per query row.
 */
public final class TopK {
    private final int k;
    private final float[] dist;
    private final int[] index;
    private int size;

    public TopK(int k) {
        this.k = k;
        this.dist = new float[k];
        this.index = new int[k];
    }

    /** The current k-th distance, or +infinity while fewer than k are held: a cheap pre-filter. */
    public float bound() {
        return size < k ? Float.POSITIVE_INFINITY : dist[0];
    }

    public void offer(float d, int i) {
        if (size < k) {
            int c = size++;
            dist[c] = d;
            index[c] = i;
            siftUp(c);
        } else if (k > 0 && worse(dist[0], index[0], d, i)) {
            dist[0] = d;
            index[0] = i;
            siftDown(0);
        }
    }

    /** (d1, i1) ranks after (d2, i2) in a neighbour list. */
    private static boolean worse(float d1, int i1, float d2, int i2) {
        return Neighbors.precedes(d2, i2, d1, i1);
    }

    private void siftUp(int c) {
        while (c > 0) {
            int p = (c - 1) >> 1;
            if (!worse(dist[c], index[c], dist[p], index[p])) {
                break;
            }
            swap(c, p);
            c = p;
        }
    }

    private void siftDown(int p) {
        while (true) {
            int l = 2 * p + 1;
            if (l >= size) {
                return;
            }
            int r = l + 1;
            int m = r < size && worse(dist[r], index[r], dist[l], index[l]) ? r : l;
            if (!worse(dist[m], index[m], dist[p], index[p])) {
                return;
            }
            swap(m, p);
            p = m;
        }
    }

    private void swap(int a, int b) {
        float d = dist[a];
        dist[a] = dist[b];
        dist[b] = d;
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
    }

    /**
     * Writes the held pairs in ascending (distance, index) order to {@code outIndex/outDist} at
     * {@code offset}, emptying the heap.
     */
    public void drainSorted(int[] outIndex, float[] outDist, int offset) {
        for (int pos = size - 1; pos >= 0; pos--) {
            outIndex[offset + pos] = index[0];
            outDist[offset + pos] = dist[0];
            size--;
            if (size > 0) {
                dist[0] = dist[size];
                index[0] = index[size];
                siftDown(0);
            }
        }
    }
}
