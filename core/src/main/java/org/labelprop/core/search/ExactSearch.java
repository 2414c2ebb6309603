package org.labelprop.core.search;

import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.graph.Neighbors;

/** Exact search: every pair's distance, in the backend's dense tiles with the top-k fused in. */
public final class ExactSearch implements NeighborSearch {
    public static final ExactSearch INSTANCE = new ExactSearch();

    private ExactSearch() {
    }

    @Override
    public Neighbors search(Backend backend, FloatMatrix x, int k, Progress progress) {
        return backend.nearest(x, x, k, true, progress);
    }

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public String toString() {
        return "exact";
    }
}
