package org.labelprop.core.graph;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLongArray;
import org.labelprop.core.Parallel;

/**
 * Connected components of a graph taken as undirected (an edge in either direction joins its ends),
 * by union-find with path halving: linear time, one int per row.
 */
public final class Components {
    private final int[] component;
    private final int count;

    private Components(int[] component, int count) {
        this.component = component;
        this.count = count;
    }

    public static Components of(CsrGraph g) {
        int n = g.rows();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        for (int i = 0; i < n; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                int a = find(parent, i);
                int b = find(parent, col[e]);
                if (a != b) {
                    // Lower index becomes the root, so numbering is deterministic.
                    if (a < b) {
                        parent[b] = a;
                    } else {
                        parent[a] = b;
                    }
                }
            }
        }
        int[] id = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            id[i] = r == i ? count++ : id[r];
        }
        return new Components(id, count);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Component number of each row, 0..count-1, numbered by each component's lowest row. */
    public int[] ids() {
        return component;
    }

    public int count() {
        return count;
    }

    /** For each row, whether its component contains at least one row with {@code hasLabel[row]}. */
    public boolean[] reachesLabel(boolean[] hasLabel) {
        boolean[] labeledComponent = new boolean[count];
        for (int i = 0; i < component.length; i++) {
            if (hasLabel[i]) {
                labeledComponent[component[i]] = true;
            }
        }
        boolean[] out = new boolean[component.length];
        for (int i = 0; i < component.length; i++) {
            out[i] = labeledComponent[component[i]];
        }
        return out;
    }

    /**
     * For each row, whether a path along the graph's edges (row to column, whatever the weight) leads from it to
     * a row with {@code hasLabel[row]}: the rows a propagation over {@code g} can carry a label to. On a
     * symmetric graph this is {@link #reachesLabel}; on a directed one it is narrower. The search follows the
     * edges into each row, which on a graph known to be symmetric ({@link CsrGraph#symmetricStructure}) are those
     * out of it: no transposed copy then (an edge-sized copy written at random, 0.4 s of a 1M-row, 17.5M-edge
     * spreading's finish on 2 cores).
     */
    public static boolean[] pathToLabel(CsrGraph g, boolean[] hasLabel) {
        CsrGraph into = g.symmetricStructure() ? g : g.transpose();
        int[] rowPtr = into.rowPtr();
        int[] col = into.col();
        boolean[] reached = hasLabel.clone();
        int[] queue = new int[g.rows()];
        int tail = 0;
        for (int i = 0; i < reached.length; i++) {
            if (reached[i]) {
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            int j = queue[head];
            for (int e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
                if (!reached[col[e]]) {
                    reached[col[e]] = true;
                    queue[tail++] = col[e];
                }
            }
        }
        return reached;
    }

    /**
     * {@link #pathToLabel(CsrGraph, boolean[])} with each level of the breadth-first search split over
     * {@code pool}: a search over a 10M-row, 100M-edge graph, one random read per
     * edge, took 3 s of a GPU spreading's finish on one thread. Rows are claimed by an atomic bit, so each
     * joins the next frontier once; the set reached does not depend on the order.
     */
    public static boolean[] pathToLabel(CsrGraph g, boolean[] hasLabel, ForkJoinPool pool) {
        if (pool.getParallelism() <= 1) {
            return pathToLabel(g, hasLabel); // the plain queue is faster alone: no atomic bits
        }
        CsrGraph into = g.symmetricStructure() ? g : g.transpose();
        int n = g.rows();
        AtomicLongArray seen = new AtomicLongArray((n + 63) >>> 6);
        IntArrayList start = new IntArrayList();
        for (int i = 0; i < n; i++) {
            if (hasLabel[i]) {
                claim(seen, i);
                start.add(i);
            }
        }
        int[] frontier = start.toIntArray();
        while (frontier.length > 0) {
            frontier = nextLevel(into, frontier, seen, pool);
        }
        boolean[] reached = new boolean[n];
        for (int i = 0; i < n; i++) {
            reached[i] = (seen.get(i >>> 6) & (1L << i)) != 0;
        }
        return reached;
    }

    /** Frontier rows per task of a level. */
    private static final int FRONTIER_BLOCK = 4096;

    /** The rows first reached from {@code frontier}'s rows (edges into them, as {@code into} holds them). */
    private static int[] nextLevel(CsrGraph into, int[] frontier, AtomicLongArray seen, ForkJoinPool pool) {
        int blocks = (frontier.length + FRONTIER_BLOCK - 1) / FRONTIER_BLOCK;
        int[][] found = new int[blocks][];
        Parallel.Range visit = (from, to) -> {
            for (int b = from; b < to; b++) {
                IntArrayList out = new IntArrayList();
                int end = Math.min(frontier.length, (b + 1) * FRONTIER_BLOCK);
                for (int f = b * FRONTIER_BLOCK; f < end; f++) {
                    int v = frontier[f];
                    for (int e = into.rowPtr()[v]; e < into.rowPtr()[v + 1]; e++) {
                        int u = into.col()[e];
                        if (claim(seen, u)) {
                            out.add(u);
                        }
                    }
                }
                found[b] = out.toIntArray();
            }
        };
        Parallel.forRanges(pool, blocks, 1, visit);
        int total = 0;
        for (int[] f : found) {
            total += f.length;
        }
        int[] next = new int[total];
        int at = 0;
        for (int[] f : found) {
            System.arraycopy(f, 0, next, at, f.length);
            at += f.length;
        }
        return next;
    }

    /** Sets row u's bit; true for the one caller that set it. */
    private static boolean claim(AtomicLongArray seen, int u) {
        int word = u >>> 6;
        long bit = 1L << u;
        long old = seen.getPlain(word); // a stale 0 only costs a compare-and-exchange that says so
        while ((old & bit) == 0) {
            long witness = seen.compareAndExchange(word, old, old | bit);
            if (witness == old) {
                return true;
            }
            old = witness;
        }
        return false;
    }
}
