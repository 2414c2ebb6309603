package org.labelprop.core.search;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.Neighbors;

/**
 * Exact search: the backend's dense tiles with the top-k fused in, over every pair ({@link #ALL_PAIRS}) or, where
 * it pays, over the pairs a lower bound cannot rule out ({@link #INSTANCE}, see {@link PrunedExactSearch}).
 */
public final class ExactSearch implements NeighborSearch {
    /**
     * Prunes pairs by a lower bound where that pays (many rows of many features, most of the variance in few
     * directions, a backend with tiled {@link Backend#pairsWithin}), else every pair. Its lists are then the
     * reference backend's {@link Backend#nearest}: by the exact distance rounded to float, ties by index.
     */
    public static final ExactSearch INSTANCE = new ExactSearch(true);
    /** Every pair in the backend's tiles, as {@link Backend#nearest} selects them. */
    public static final ExactSearch ALL_PAIRS = new ExactSearch(false);

    private final boolean pruned;

    private ExactSearch(boolean pruned) {
        this.pruned = pruned;
    }

    @Override
    public Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress) {
        Neighbors found = pruned ? PrunedExactSearch.search(backend, x, k, progress) : null;
        return found != null ? found : backend.nearest(x, x, k, true, progress);
    }

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public String toString() {
        return pruned ? "exact" : "exact, all pairs";
    }
}
