package org.labelprop.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.labelprop.spark.BlockedGraph.BlockRows;

/**
 * A generated graph with planted classes that is symmetric by construction, so that every block can build
 * its own rows' edges where it is, with no edge crossing the network (the scale benchmark's graph).
 *
 * <p>Rows are in class order: class k holds rows {@code [k * rows / classes, ...)} (the last class takes the
 * remainder), one row in 100 is labeled with its class. Row i's edges, each of weight 1, repeats summed:
 * <ul>
 *   <li>rings inside its class at {@code ring} scales: the rows at offsets +-1, +-4, +-16, ..., +-4^(ring-1),
 *       wrapping around within the class (symmetric: j = i + d exactly when i = j - d), so that labels
 *       reach across the class in a few steps instead of diffusing along one ring;</li>
 *   <li>{@code cross} edges to rows anywhere, mostly of other classes (the noise): for q = 1..cross, the
 *       rows are paired at random (a seeded pseudo-random permutation p of the rows, a Feistel network on
 *       whole bits walked back into range; row i's partner is p^-1(p(i) xor 1)). Pairing is an involution,
 *       so the edge exists in both directions; with an odd number of rows one row has no partner. Random
 *       partners, unlike a pairing that keeps neighbours next to each other, carry no second class
 *       structure that spreading could mistake for the first.</li>
 * </ul>
 * Row i thus has up to {@code 2 * ring + cross} edges; ring edges stay in the block except within
 * 4^(ring-1) rows of its ends, cross edges mostly lead to other blocks (the halo).
 */
record GeneratedGraph(long rows, int classes, int ring, int cross) implements Serializable {
    GeneratedGraph {
        if (rows < 2L * classes || ring < 1 || cross < 0) {
            throw new IllegalArgumentException("need rows >= 2 * classes, ring >= 1, cross >= 0; got rows " + rows
                    + ", classes " + classes + ", ring " + ring + ", cross " + cross);
        }
    }

    /** The planted class of row i. */
    int classOf(long i) {
        return (int) Math.min(classes - 1, i / (rows / classes));
    }

    /** Row i's label: its class for one row in 100, else -1. */
    int label(long i) {
        return i % 100 == 0 ? classOf(i) : -1;
    }

    /** Bits of the permutation's domain: an even number, at least enough for every row. */
    private int bits() {
        int b = 64 - Long.numberOfLeadingZeros(rows - 1);
        return b + (b & 1);
    }

    /** The Feistel round function of round r of pairing q: a mixed hash of half a word, cut to half the bits. */
    private static long round(long half, int q, int r, long mask) {
        long z = half * 0x9E3779B97F4A7C15L + (q * 0x632BE59BD9B4E019L) + r * 0x85157AF5L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & mask;
    }

    /** Row x's place in pairing q's permutation of 0..rows-1 (or its inverse): 4 Feistel rounds, walked into range. */
    private long permute(long x, int q, boolean inverse) {
        int half = bits() / 2;
        long mask = (1L << half) - 1;
        long y = x;
        do {
            long left = y >>> half;
            long right = y & mask;
            for (int r = 0; r < 4; r++) {
                if (inverse) {
                    long l = right ^ round(left, q, 3 - r, mask);
                    right = left;
                    left = l;
                } else {
                    long l = right;
                    right = left ^ round(right, q, r, mask);
                    left = l;
                }
            }
            y = (left << half) | right;
        } while (y >= rows);
        return y;
    }

    /** Row i's partner in pairing q (1-based), or -1 for the unpaired row when rows are odd. */
    long partner(long i, int q) {
        long place = permute(i, q, false) ^ 1;
        return place < rows ? permute(place, q, true) : -1;
    }

    /** Calls {@code to} with every edge's other end of row i, repeats included, in no particular order. */
    void forEachNeighbour(long i, LongConsumer to) {
        int k = classOf(i);
        long start = k * (rows / classes);
        long length = (k == classes - 1 ? rows : start + rows / classes) - start;
        long offset = i - start;
        for (long d = 1, m = 0; m < ring; m++, d *= 4) {
            long up = start + (offset + d) % length;
            long down = start + Math.floorMod(offset - d, length);
            if (up != i) {
                to.accept(up);
            }
            if (down != i) {
                to.accept(down);
            }
        }
        for (int q = 1; q <= cross; q++) {
            long j = partner(i, q);
            if (j >= 0) {
                to.accept(j);
            }
        }
    }

    /**
     * The graph's blocks of {@code blockRows} rows, each generated in its own partition (block b in partition
     * b), ready for {@link BlockedGraph#fromBlockRows}.
     */
    JavaRDD<BlockRows> blocks(JavaSparkContext sc, long blockRows) {
        List<Long> starts = new ArrayList<>();
        for (long s = 0; s < rows; s += blockRows) {
            starts.add(s);
        }
        return sc.parallelize(starts, starts.size()).map(s -> block(s / blockRows, s, Math.min(rows, s + blockRows)));
    }

    /** Rows first..end-1 as block {@code block}: columns ascending per row, repeats summed into weights. */
    BlockRows block(long block, long first, long end) {
        int n = (int) (end - first);
        long[] ids = new long[n];
        int[] labels = new int[n];
        int[] rowPtr = new int[n + 1];
        int perRow = 2 * ring + cross;
        long[] col = new long[n * perRow];
        float[] weight = new float[n * perRow];
        long[] row = new long[perRow];
        int[] count = {0};
        int e = 0;
        for (int r = 0; r < n; r++) {
            long i = first + r;
            ids[r] = i;
            labels[r] = label(i);
            count[0] = 0;
            forEachNeighbour(i, j -> row[count[0]++] = j);
            Arrays.sort(row, 0, count[0]);
            for (int t = 0; t < count[0]; t++) {
                if (t > 0 && row[t] == row[t - 1]) {
                    weight[e - 1] += 1f;
                } else {
                    col[e] = row[t];
                    weight[e++] = 1f;
                }
            }
            rowPtr[r + 1] = e;
        }
        return new BlockRows((int) block, first, ids, labels, rowPtr, Arrays.copyOf(col, e), Arrays.copyOf(weight, e));
    }
}
