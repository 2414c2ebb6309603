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
    MUTUAL
}
