package org.labelprop.core.graph;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.Parallel;

/**
 * Row orders that put connected rows close together, so a sparse product's gathers of Y rows hit cache
 * lines that neighbouring rows just used. A kNN graph of shuffled data has neighbours anywhere in index
 * space; after a breadth-first order most of a row's neighbours sit within a few hundred rows of it.
 */
public final class Reordering {
    private Reordering() {
    }

    /**
     * Breadth-first order (Cuthill-McKee without the degree sort): each component from its lowest unvisited
     * row, neighbours in column order. Deterministic. {@code order[newRow] = oldRow}.
     */
    public static int[] breadthFirst(CsrGraph g) {
        int n = g.rows();
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        int tail = 0;
        for (int start = 0; start < n; start++) {
            if (seen[start]) {
                continue;
            }
            seen[start] = true;
            int head = tail;
            order[tail++] = start;
            while (head < tail) {
                int v = order[head++];
                for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
                    int u = col[e];
                    if (!seen[u]) {
                        seen[u] = true;
                        order[tail++] = u;
                    }
                }
            }
        }
        return order;
    }

    /** Rows apart within which two rows of Y share the caches: 4,096 rows of 16 floats are 256 KiB. */
    static final int CACHE_WINDOW = 4096;

    /**
     * Whether {@code order} brings connected rows markedly closer than the current order: the share of
     * edges joining rows fewer than {@link #CACHE_WINDOW} apart, on a sample of rows, must grow by at least
     * 0.2. A random graph has no order that does this (every order scatters its edges), and permuting it
     * costs a copy of the graph with random writes for nothing: 20 of the 35 seconds of set-up around a
     * 10M-row stochastic block model's propagation went there.
     */
    public static boolean pays(CsrGraph g, int[] order) {
        int n = g.rows();
        int[] position = inverse(order);
        int step = Math.max(1, n / 4096);
        long edges = 0;
        long nearBefore = 0;
        long nearAfter = 0;
        for (int i = 0; i < n; i += step) {
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                int j = g.col()[e];
                edges++;
                if (Math.abs(i - j) < CACHE_WINDOW) {
                    nearBefore++;
                }
                if (Math.abs(position[i] - position[j]) < CACHE_WINDOW) {
                    nearAfter++;
                }
            }
        }
        return edges > 0 && (nearAfter - nearBefore) >= 0.2 * edges;
    }

    /** Rows of the search after which {@link #payingBreadthFirst} first judges it. */
    static final int PREFIX_ROWS = 1 << 16;

    /**
     * The breadth-first order where {@link #pays} accepts it, else null, without finishing the search where
     * its first rows already show it cannot pay: once {@code max(PREFIX_ROWS, n / 8)} rows have been taken
     * from the queue (their neighbours all have places by then), the same test as {@link #pays} on a sample of
     * those rows must pass, or the search stops. The start of a search is its most local part (the queue is
     * still short), so a prefix that fails leaves the whole order no chance; one that passes is judged again
     * in full. On a random graph (a 10M-row stochastic block model) this saves a search of every edge that
     * {@link #pays} then threw away: 4 of a GPU spreading's 5.5 s outside its steps.
     */
    public static int[] payingBreadthFirst(CsrGraph g) {
        int n = g.rows();
        int[] order = new int[n];
        int[] position = new int[n];
        Arrays.fill(position, -1);
        int[] rowPtr = g.rowPtr();
        int[] col = g.col();
        int checkAt = Math.max(PREFIX_ROWS, n / 8);
        int tail = 0;
        int head = 0;
        for (int start = 0; start < n; start++) {
            if (position[start] >= 0) {
                continue;
            }
            position[start] = tail;
            order[tail++] = start;
            while (head < tail) {
                if (head == checkAt && !prefixPays(g, order, position, head)) {
                    return null;
                }
                int v = order[head++];
                for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
                    int u = col[e];
                    if (position[u] < 0) {
                        position[u] = tail;
                        order[tail++] = u;
                    }
                }
            }
        }
        return pays(g, order) ? order : null;
    }

    /** {@link #pays}'s test on a sample of the first {@code taken} rows of an unfinished search. */
    private static boolean prefixPays(CsrGraph g, int[] order, int[] position, int taken) {
        int step = Math.max(1, taken / 4096);
        long edges = 0;
        long nearBefore = 0;
        long nearAfter = 0;
        for (int p = 0; p < taken; p += step) {
            int i = order[p];
            for (int e = g.rowPtr()[i]; e < g.rowPtr()[i + 1]; e++) {
                int j = g.col()[e];
                edges++;
                if (Math.abs(i - j) < CACHE_WINDOW) {
                    nearBefore++;
                }
                if (Math.abs(p - position[j]) < CACHE_WINDOW) {
                    nearAfter++;
                }
            }
        }
        return edges > 0 && (nearAfter - nearBefore) >= 0.2 * edges;
    }

    /** The inverse permutation: {@code position[oldRow] = newRow}. */
    public static int[] inverse(int[] order) {
        int[] position = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            position[order[i]] = i;
        }
        return position;
    }

    /**
     * P G P^T: row {@code order[i]} of g becomes row i, columns renumbered and sorted. The row offsets are one
     * running sum; the rows' copies are independent and run on {@code pool}.
     */
    public static CsrGraph permute(CsrGraph g, int[] order, ForkJoinPool pool) {
        int n = g.rows();
        int[] position = inverse(order);
        int[] oldPtr = g.rowPtr();
        int[] oldCol = g.col();
        float[] oldWeight = g.weight();
        int[] rowPtr = new int[n + 1];
        for (int i = 0; i < n; i++) {
            int old = order[i];
            rowPtr[i + 1] = rowPtr[i] + oldPtr[old + 1] - oldPtr[old];
        }
        int[] col = new int[g.edges()];
        float[] weight = new float[g.edges()];
        Parallel.forRows(pool, n, (from, to) -> {
            for (int i = from; i < to; i++) {
                int old = order[i];
                int at = rowPtr[i];
                for (int e = oldPtr[old]; e < oldPtr[old + 1]; e++) {
                    col[at] = position[oldCol[e]];
                    weight[at++] = oldWeight[e];
                }
                GraphBuilder.sortRowByColumn(col, weight, rowPtr[i], rowPtr[i + 1]);
            }
        });
        return new CsrGraph(n, rowPtr, col, weight, g.symmetricStructure());
    }

    /** Rows of a row-major n x c matrix in the new order: {@code out[i] = m[order[i]]}, on {@code pool}. */
    public static float[] permuteRows(float[] m, int c, int[] order, ForkJoinPool pool) {
        float[] out = new float[m.length];
        Parallel.forRows(pool, order.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(m, order[i] * c, out, i * c, c);
            }
        });
        return out;
    }

    /**
     * Undoes {@link #permuteRows} into {@code out}, which must not be {@code m}: {@code out[order[i]] = m[i]},
     * on {@code pool}. Writing into a given array lets a caller reuse one it no longer needs instead of
     * allocating another n x c (400 MB at 1M rows and 100 classes, and the page faults of touching it).
     */
    public static float[] restoreRows(float[] m, int c, int[] order, float[] out, ForkJoinPool pool) {
        if (out == m || out.length != m.length) {
            throw new IllegalArgumentException("restoreRows needs another array of " + m.length + " values");
        }
        Parallel.forRows(pool, order.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(m, i * c, out, order[i] * c, c);
            }
        });
        return out;
    }
}
