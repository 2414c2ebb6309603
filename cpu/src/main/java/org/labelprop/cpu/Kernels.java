package org.labelprop.cpu;

import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.TopK;

/**
 * The inner loops of the CPU backend, behind an interface so the Vector API implementation can be
 * absent at run time (the incubator module not added) without the rest of the backend noticing.
 * Distance tiles read the query and base rows packed in panels (see {@link Panels}), so the kernel runs as an
 * outer product: no horizontal sums, query values broadcast against contiguous vectors of base values.
 */
interface Kernels {
    /** How this implementation computes, for logs. */
    String description();

    /** Base rows per panel in {@link #dotTile}: the SIMD width in floats. */
    int panelWidth();

    /** Panels the register block of {@link #dotTile} takes at once: base tiles are cut in multiples of it. */
    default int panelGroup() {
        return 1;
    }

    /**
     * Whether {@link #dotTile} reads its query rows packed in panels, as the base rows are, rather than
     * row-major.
     */
    default boolean queriesInPanels() {
        return false;
    }

    /**
     * Packs panel p of {@code count} rows of the row-major {@code src} into {@code out}, as {@link
     * Panels#packPanel} defines it (the same floats, padding lanes zero).
     */
    default void packPanel(float[] src, int d, int[] picked, int first, int count, float[] out, int p) {
        Panels.packPanel(src, d, picked, first, count, panelWidth(), out, p);
    }

    /**
     * Dot products of qn query rows with the base rows of panels [p0, p0 + pn) of {@code panels}:
     * {@code out[i * stride + (p - p0) * W + lane] = query_i . base_{p * W + lane}}, W = {@link #panelWidth()},
     * {@code stride >= pn * W}. The query rows are rows [qFirst, qFirst + qn) of the row-major {@code q} (rows
     * of d floats), or with {@link #queriesInPanels()} the rows packed in {@code q} from panel qFirst on; then
     * the kernel may read the query panels' padding and write tile rows up to qn rounded up to W (their values
     * are not defined).
     */
    void dotTile(float[] q, int qFirst, int qn, int d, float[] panels, int p0, int pn, float[] out, int stride);

    /**
     * One propagation step for rows [from, to): {@code next}'s rows from {@code y}'s, as {@link
     * org.labelprop.core.backend.StepRule} defines it (product, prior, clamping, row normalization), on rows of
     * {@code step.stride()} floats, with this momentum (next then holds the iterate before y on entry). Returns
     * the rows' sum |next - y| and sum |next|.
     */
    StepResult stepRows(PaddedStep step, float[] y, float[] next, int from, int to, float momentum);

    /**
     * Rows per slice of {@link SlicedRows} that {@link #stepRows} wants for rows of {@code stride} floats, or 0
     * where it reads the graph as CSR.
     */
    default int sliceHeight(int stride) {
        return 0;
    }

    /** Multiple that propagation pads the class count to (zeros in the padding): whole vectors per row. */
    int classPadding();

    /**
     * Offers to {@code top} every candidate j in [0, bn) of one tile row whose squared distance
     * {@code max(0, qNorm + bNorm[b0 + j] - 2 tile[row + j])} can enter it, except base row {@code self}
     * (-1 for none), as index b0 + j.
     */
    void selectRow(float[] tile, int row, int bn, float qNorm, float[] bNorm, int b0, int self, TopK top);

    /**
     * The transpose of {@link #selectRow}: every column j in [0, bn) of a tile whose rows are the queries
     * q0 + i, i &lt; qn (squared norms {@code qNorms[qNormAt + i]}), offers its candidates q0 + i to the top-k
     * list of base row b0 + j, {@code tops[b0 + j]} (squared norms {@code bNorms[b0 + j]}). Distances must be
     * computed exactly as {@link #selectRow} would compute them with b0 + j as the query row, so that a
     * self-join selects the same neighbours as the full search, and a two-way search the same as one with
     * the roles swapped.
     */
    void selectColumns(float[] tile, int stride, int qn, int q0, float[] qNorms, int qNormAt, int bn, int b0,
                       float[] bNorms, TopK[] tops);
}
