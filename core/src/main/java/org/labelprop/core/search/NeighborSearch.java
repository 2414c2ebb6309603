package org.labelprop.core.search;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.Neighbors;

/**
 * A way to find the k nearest other rows of every row: {@link ExactSearch} (the backend's tiles over all
 * pairs), {@link InvertedFile} (exact tiles within nearby k-means lists, best on high intrinsic dimension) or
 * {@link NnDescent} (pairs visited one at a time, best on low intrinsic dimension). Chosen in
 * {@link KnnGraph.Options#search()}; {@link KnnSearch#neighbors} prepares the metric before and recomputes
 * the chosen pairs' distances exactly after.
 */
public interface NeighborSearch {
    /**
     * The k nearest other rows of every row of x (self excluded), by squared euclidean distance, sorted by
     * (distance, index); approximate unless {@link #exact()}. Needs k &lt; rows.
     */
    Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress);

    /** Neighbours to search for when k are wanted (a wider pool can raise recall); at least k. */
    default int pool(int k) {
        return k;
    }

    /** Whether {@link #search} returns the true nearest neighbours (so recall needs no estimate). */
    default boolean exact() {
        return false;
    }
}
