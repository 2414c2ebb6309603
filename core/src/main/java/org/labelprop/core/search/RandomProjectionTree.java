package org.labelprop.core.search;

import java.util.SplittableRandom;
import org.labelprop.core.FloatMatrix;

/**
 * A random projection tree (Dasgupta and Freund 2008, as NN-Descent implementations use it to start):
 * rows are split by the hyperplane halfway between two randomly chosen rows, recursively, until a node
 * holds at most {@code leafSize} rows. Rows in one leaf are likely near each other.
 */
final class RandomProjectionTree {
    private RandomProjectionTree() {
    }

    /**
     * Reorders {@code order} (row indices) so that each leaf is a contiguous range, and returns the range
     * bounds: leaf l is {@code order[bounds[l] .. bounds[l + 1])}. Deterministic for a seed.
     */
    static int[] leaves(FloatMatrix x, int[] order, int leafSize, long seed) {
        it.unimi.dsi.fastutil.ints.IntArrayList bounds = new it.unimi.dsi.fastutil.ints.IntArrayList();
        bounds.add(0);
        // Explicit stack of [from, to) ranges; depth-first, left first, so leaves come out in order.
        it.unimi.dsi.fastutil.ints.IntArrayList stack = new it.unimi.dsi.fastutil.ints.IntArrayList();
        stack.add(0);
        stack.add(order.length);
        SplittableRandom r = new SplittableRandom(seed);
        int d = x.cols();
        float[] data = x.data();
        while (!stack.isEmpty()) {
            int to = stack.popInt();
            int from = stack.popInt();
            if (to - from <= leafSize) {
                bounds.add(to);
                continue;
            }
            int a = order[from + r.nextInt(to - from)];
            int b = order[from + r.nextInt(to - from)];
            // side(i) = (x_i - (x_a + x_b) / 2) . (x_a - x_b), computed as x_i . n - offset.
            double offset = 0;
            float[] normal = new float[d];
            for (int t = 0; t < d; t++) {
                normal[t] = data[a * d + t] - data[b * d + t];
                offset += normal[t] * 0.5 * (data[a * d + t] + data[b * d + t]);
            }
            int lo = from;
            int hi = to - 1;
            while (lo <= hi) {
                int i = order[lo];
                double side = -offset;
                for (int t = 0; t < d; t++) {
                    side += normal[t] * data[i * d + t];
                }
                // Ties (side 0, including a == b) go by a coin flip, so duplicates still split.
                if (side > 0 || (side == 0 && r.nextBoolean())) {
                    lo++;
                } else {
                    order[lo] = order[hi];
                    order[hi--] = i;
                }
            }
            int mid = lo;
            if (mid == from || mid == to) {
                // Every row on one side: split in the middle rather than loop forever.
                mid = from + (to - from) / 2;
            }
            // Push right first so the left half is processed (and its leaves listed) first.
            stack.add(mid);
            stack.add(to);
            stack.add(from);
            stack.add(mid);
        }
        return bounds.toIntArray();
    }
}
