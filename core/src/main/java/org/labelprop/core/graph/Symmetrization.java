package org.labelprop.core.graph;

/** How a directed kNN (or edge-list) graph W becomes the graph the algorithms see. */
public enum Symmetrization {
    /** W as is: row i holds i's own neighbours only (scikit-learn's knn kernel). */
    NONE,
    /** (W + W^T) / 2: an edge present in one direction keeps half its weight in both. */
    AVERAGE,
    /** max(W, W^T): an edge present in either direction keeps its full weight in both. */
    MAX,
    /** Only edges present in both directions, weighted (w_ij + w_ji) / 2: fewer, more reliable edges. */
    MUTUAL;

    /**
     * The weight edge (i, j) keeps, from w_ij ({@code x}, present when {@code inW}) and w_ji ({@code y},
     * present when {@code inT}); NaN where the edge is dropped. The same for (j, i): the sum is symmetric.
     * Halves are added rather than the sum halved: the same value, without overflowing near Float.MAX_VALUE.
     */
    public float combine(boolean inW, float x, boolean inT, float y) {
        float w = inW ? x : 0f;
        float t = inT ? y : 0f;
        switch (this) {
            case NONE:
                return inW ? x : Float.NaN;
            case AVERAGE:
                return w * 0.5f + t * 0.5f;
            case MAX:
                return Math.max(w, t);
            case MUTUAL:
                return inW && inT ? w * 0.5f + t * 0.5f : Float.NaN;
            default:
                throw new AssertionError(this);
        }
    }
}
