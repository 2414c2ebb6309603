package org.labelprop.core.graph;

/** How a distance d_ij between neighbours becomes an edge weight w_ij. */
public enum Weighting {
    /** w = 1 for every neighbour (scikit-learn's connectivity graph). */
    BINARY,
    /** w = exp(-d^2 / (2 sigma^2)) with a given sigma. */
    GAUSSIAN,
    /**
     * w = exp(-4 d_ij^2 / d_k(i)^2), d_k(i) the distance from i to its k-th neighbour (Zelnik-Manor and
     * Perona's local scaling, as used by Calder et al.): adapts to density, no sigma to tune.
     */
    SELF_TUNING
}
