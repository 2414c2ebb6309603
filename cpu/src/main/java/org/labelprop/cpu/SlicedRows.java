package org.labelprop.cpu;

import java.util.stream.IntStream;
import org.labelprop.core.Memory;

/**
 * A CSR graph's rows regrouped for a step that works on several rows at once (the SELL-C-sigma layout of
 * Kreutzer, Hager, Wellein et al., SIAM J. Sci. Comput. 2014): within each block of rows that one task
 * steps, rows are sorted by degree, most edges first, and cut into slices of {@code height} rows; a slice's
 * edges are stored column by column (edge 0 of every row of the slice, then edge 1, ...), each row padded to
 * the slice's widest with zero-weight edges to the row itself. A kernel then walks a slice with one loop of
 * fixed length and one accumulator per row: the rows' gathers are independent, and the loop exit is the
 * slice's, not every row's. On a kNN graph, where symmetrization leaves degrees from k to several times k,
 * per-row loops mispredicted their exit once per row (about a fifth of a step, docs/benchmarks.md).
 * Sorting the whole block (not smaller windows) measured fastest: least padding, and a block's rows (4,096
 * of 64 bytes) stay within the core's L2 cache whatever their order.
 *
 * <p>Each row's edges keep their CSR order, so a row's sum is the same sequence of fused multiply-adds
 * whatever slice it lands in (a zero-weight edge adds exactly +0 to a finite sum): which rows share a slice
 * changes nothing in any row's result.
 *
 * @param height rows per slice
 * @param start  first stored edge of each slice, and one past the last
 * @param width  edges per row of each slice (its widest row's degree)
 * @param rows   the row of each slot, slice by slice ({@code height} per slice), -1 for an empty slot
 * @param col    columns, slice by slice, column-major within a slice
 * @param weight weights, stored as {@code col}
 */
record SlicedRows(int height, int[] start, int[] width, int[] rows, int[] col, float[] weight) {
    /**
     * The layout of a CSR graph whose rows are stepped in blocks of {@code block} rows (a multiple of
     * {@code height}), so the slices of a block hold exactly its rows; null where the padded edges would
     * not fit one array (the kernel then reads CSR).
     */
    static SlicedRows of(int[] rowPtr, int[] col, float[] weight, int rows, int height, int block) {
        int slices = 0;
        for (int b = 0; b < rows; b += block) {
            slices += (Math.min(block, rows - b) + height - 1) / height;
        }
        int[] slot = new int[slices * height];
        int[] start = new int[slices + 1];
        int[] width = new int[slices];
        int s = 0;
        long stored = 0;
        for (int b = 0; b < rows; b += block) {
            int blockEnd = Math.min(rows, b + block);
            int blockSlot = s * height;
            sortByDegree(rowPtr, b, blockEnd, slot, blockSlot);
            int filled = blockEnd - b;
            int blockSlices = (filled + height - 1) / height;
            java.util.Arrays.fill(slot, blockSlot + filled, blockSlot + blockSlices * height, -1);
            for (int k = 0; k < blockSlices; k++, s++) {
                int widest = 0;
                for (int lane = 0; lane < height; lane++) {
                    int r = slot[s * height + lane];
                    if (r >= 0) {
                        widest = Math.max(widest, rowPtr[r + 1] - rowPtr[r]);
                    }
                }
                width[s] = widest;
                start[s] = (int) Math.min(stored, Integer.MAX_VALUE);
                stored += (long) widest * height;
            }
        }
        if (stored > Integer.MAX_VALUE - 16) {
            return null;
        }
        start[slices] = (int) stored;
        Memory.require(stored * 8, "the sliced layout of a propagation graph (" + stored + " stored edges)");
        int[] sCol = new int[(int) stored];
        float[] sWeight = new float[(int) stored];
        // Slices are independent: filled in parallel (on the caller's pool when called from one of its tasks).
        IntStream.range(0, slices).parallel().forEach(k -> {
            for (int lane = 0; lane < height; lane++) {
                int r = slot[k * height + lane];
                int at = start[k] + lane;
                int e = 0;
                if (r >= 0) {
                    for (int from = rowPtr[r], to = rowPtr[r + 1]; from + e < to; e++, at += height) {
                        sCol[at] = col[from + e];
                        sWeight[at] = weight[from + e];
                    }
                }
                // Padding: weight 0 (the array's zeros) times a row already in cache, its own or row 0.
                for (; e < width[k]; e++, at += height) {
                    sCol[at] = Math.max(r, 0);
                }
            }
        });
        return new SlicedRows(height, start, width, slot, sCol, sWeight);
    }

    /** Rows [from, to) into out[at...], most edges first, ties in row order (a counting sort: stable). */
    private static void sortByDegree(int[] rowPtr, int from, int to, int[] out, int at) {
        int widest = 0;
        for (int r = from; r < to; r++) {
            widest = Math.max(widest, rowPtr[r + 1] - rowPtr[r]);
        }
        // Slots per degree, widest first: place[widest - d] is where the next row of degree d goes.
        int[] place = new int[widest + 2];
        for (int r = from; r < to; r++) {
            place[widest - (rowPtr[r + 1] - rowPtr[r]) + 1]++;
        }
        place[0] = at;
        for (int d = 1; d < place.length; d++) {
            place[d] += place[d - 1];
        }
        for (int r = from; r < to; r++) {
            out[place[widest - (rowPtr[r + 1] - rowPtr[r])]++] = r;
        }
    }

    /** The slices holding rows [from, to) of a block that starts at {@code from}: first index. */
    int firstSlice(int from, int block) {
        int perBlock = block / height;
        return from / block * perBlock;
    }
}
