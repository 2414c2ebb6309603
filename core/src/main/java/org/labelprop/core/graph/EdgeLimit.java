package org.labelprop.core.graph;

import org.labelprop.core.DataException;

/** Size guard for edge arrays: a CSR graph is three Java arrays, so it holds fewer than 2^31 edges. */
final class EdgeLimit {
    private EdgeLimit() {
    }

    static int edgeCount(long edges) {
        if (edges > Integer.MAX_VALUE - 8) {
            throw new DataException("graph of " + edges + " edges exceeds Java's array limit of 2^31; use fewer "
                    + "neighbours (k), fewer rows, or a distributed engine for graphs this large");
        }
        return (int) edges;
    }
}
