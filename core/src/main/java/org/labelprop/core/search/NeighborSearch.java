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

    /**
     * {@link #search}, with an order of the rows in which consecutive rows share most of their candidates, or
     * null where the search knows none. {@link KnnSearch#neighbors} re-measures the chosen pairs in that order, so
     * the candidates' rows it gathers are still in cache: an inverted file's rows list by list took 0.085 s against
     * 0.13 s in row order for Fashion-MNIST's 700,000 pairs (docs/benchmarks.md, tenth pass).
     */
    default Found searchInOrder(Backend backend, FloatMatrix x, int k, Progress progress) {
        return new Found(search(backend, x, k, progress), null);
    }

    /** Neighbours found, and an order of the rows for passes over them (null: row order). */
    record Found(Neighbors neighbors, int[] rowOrder) {
    }

    /** Neighbours to search for when k are wanted (a wider pool can raise recall); at least k. */
    default int pool(int k) {
        return k;
    }

    /** Whether {@link #search} returns the true nearest neighbours (so recall needs no estimate). */
    default boolean exact() {
        return false;
    }
}
