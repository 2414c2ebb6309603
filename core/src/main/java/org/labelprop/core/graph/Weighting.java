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
    SELF_TUNING;

    /**
     * The weight of an edge of length {@code d} from a row whose k-th neighbour lies at {@code dk}.
     *
     * @param sigma the bandwidth, used by {@link #GAUSSIAN} only
     */
    public float weight(float d, float dk, float sigma) {
        switch (this) {
            case BINARY:
                return 1f;
            case GAUSSIAN:
                return (float) Math.exp(-(double) d * d / (2.0 * sigma * sigma));
            case SELF_TUNING:
                // All k neighbours at distance 0 (duplicates): they are as close as it gets.
                return dk == 0f ? 1f : (float) Math.exp(-4.0 * d * d / ((double) dk * dk));
            default:
                throw new AssertionError(this);
        }
    }
}
