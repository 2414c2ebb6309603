package org.labelprop.cpu;

import java.util.function.Consumer;
import org.labelprop.core.backend.TopK;

/**
 * The step of the cpu backend's exact search that follows each distance tile: one row of dot products
 * turned into squared distances and offered to a {@link TopK}, filtered by its running bound first (in SIMD
 * with the Vector API kernels). Public so a benchmark can time it alone against the plain loop over every
 * candidate; the kernels behind it stay internal to this module.
 */
public final class TopKRowSelector {
    private final Kernels kernels;

    private TopKRowSelector(Kernels kernels) {
        this.kernels = kernels;
    }

    /**
     * @param kernels auto, vector or scalar, as for {@link CpuBackendProvider#create(java.util.concurrent.ForkJoinPool,
     *     Consumer, String)}
     * @param notes receives one line when the kernels fall back to scalar code, saying why
     */
    public static TopKRowSelector create(String kernels, Consumer<String> notes) {
        return new TopKRowSelector(CpuBackendProvider.kernels(kernels, notes));
    }

    /** Which kernels run, for logs. */
    public String description() {
        return kernels.description();
    }

    /**
     * Offers to {@code top} every candidate j in [0, count) whose squared distance
     * {@code max(0, qNorm + bNorm[b0 + j] - 2 dots[row + j])} can enter it, as index b0 + j, except base row
     * {@code self} (-1 for none).
     *
     * @param dots a tile of dot products; this row's start at {@code row}
     * @param qNorm the query row's squared norm
     * @param bNorm the base rows' squared norms
     */
    public void select(float[] dots, int row, int count, float qNorm, float[] bNorm, int b0, int self, TopK top) {
        kernels.selectRow(dots, row, count, qNorm, bNorm, b0, self, top);
    }
}
