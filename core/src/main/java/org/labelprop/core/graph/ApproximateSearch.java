package org.labelprop.core.graph;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;

/**
 * A way to find approximate k nearest neighbours of every row: {@link NnDescent} (pairs visited one at a
 * time, best on data of low intrinsic dimension) or {@link InvertedFile} (exact tiles within nearby k-means
 * lists, best on high intrinsic dimension). {@link KnnSearch#approximate} recomputes the chosen pairs'
 * distances exactly afterwards.
 */
public interface ApproximateSearch {
    /** The approximate k nearest other rows of every row, by squared euclidean distance; needs k < rows. */
    Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress);

    /** Neighbours to search for when k are wanted (a wider pool can raise recall); at least k. */
    default int pool(int k) {
        return k;
    }
}
