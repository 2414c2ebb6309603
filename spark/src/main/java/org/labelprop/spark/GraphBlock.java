package org.labelprop.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One block of consecutive rows of a distributed graph: the rows' ids and labels, their edges in CSR form,
 * and the halo (rows of other blocks that these rows' edges point to). A block lives in the Spark partition
 * with its number, so the graph stays where it is cached and only halo values cross the network.
 *
 * <p>Columns are local: {@code col[e] < rows} is a row of this block, {@code col[e] = rows + h} the h-th halo
 * slot. Halo slots are grouped by the block they come from ({@code haloBlock}, ascending), and within a
 * group ordered by the row in that block, which is also the order that block sends them in
 * ({@code sendRow}). Edges of a row are ordered by global column, as core's CSR graphs are, so the sums of
 * a step are formed in the same order as on one machine.
 */
final class GraphBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int block;
    /** Global index of the first row. */
    final long first;
    final long[] ids;
    /** Label per row, -1 unlabeled. */
    final int[] labels;
    final int[] rowPtr;
    final int[] col;
    final float[] weight;
    /** The blocks this block reads halo rows from, ascending; group h holds slots haloStart[h]..haloStart[h+1]. */
    final int[] haloBlock;
    final int[] haloStart;
    /** Per halo slot: the row within its source block. */
    final int[] haloRow;
    /** The blocks that read rows of this block, ascending; group t sends rows sendRow[sendStart[t]..]. */
    final int[] sendBlock;
    final int[] sendStart;
    final int[] sendRow;

    GraphBlock(int block, long first, long[] ids, int[] labels, int[] rowPtr, int[] col, float[] weight,
               int[] haloBlock, int[] haloStart, int[] haloRow, int[] sendBlock, int[] sendStart, int[] sendRow) {
        this.block = block;
        this.first = first;
        this.ids = ids;
        this.labels = labels;
        this.rowPtr = rowPtr;
        this.col = col;
        this.weight = weight;
        this.haloBlock = haloBlock;
        this.haloStart = haloStart;
        this.haloRow = haloRow;
        this.sendBlock = sendBlock;
        this.sendStart = sendStart;
        this.sendRow = sendRow;
    }

    int rows() {
        return ids.length;
    }

    int haloRows() {
        return haloRow.length;
    }

    long edges() {
        return col.length;
    }

    GraphBlock withWeights(float[] newWeight) {
        return new GraphBlock(block, first, ids, labels, rowPtr, col, newWeight, haloBlock, haloStart, haloRow,
                sendBlock, sendStart, sendRow);
    }

    GraphBlock withSendPlan(int[] newSendBlock, int[] newSendStart, int[] newSendRow) {
        return new GraphBlock(block, first, ids, labels, rowPtr, col, weight, haloBlock, haloStart, haloRow,
                newSendBlock, newSendStart, newSendRow);
    }

    /** The halo group that holds rows of block {@code source}, or a negative number when there is none. */
    int haloGroup(int source) {
        return Arrays.binarySearch(haloBlock, source);
    }

    /** The global row index of local column {@code localCol} (a row of this block or a halo slot). */
    long globalIndex(int localCol, long blockRows) {
        if (localCol < rows()) {
            return first + localCol;
        }
        int slot = localCol - rows();
        int h = 0;
        while (haloStart[h + 1] <= slot) {
            h++;
        }
        return haloBlock[h] * blockRows + haloRow[slot];
    }

    /** The rows this block reads from block {@code haloBlock[h]}, in slot order. */
    int[] haloRowsOf(int h) {
        return Arrays.copyOfRange(haloRow, haloStart[h], haloStart[h + 1]);
    }
}
