package org.labelprop.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.testing.TestData;

class SlicedRowsTest {
    /** Degrees 0 to 40, rows of no edges included, 1,003 rows: a last block and a last slice part empty. */
    private static final CsrGraph GRAPH = TestData.randomGraph(1003, 9, 7);

    @ParameterizedTest(name = "height {0}")
    @ValueSource(ints = {4, 8})
    void everyRowKeepsItsEdgesInOrderAndPaddingWeighsNothing(int height) {
        int block = 256;
        SlicedRows sl = SlicedRows.of(GRAPH.rowPtr(), GRAPH.col(), GRAPH.weight(), GRAPH.rows(), height, block);
        int[] seen = new int[GRAPH.rows()];
        int slices = sl.width().length;
        for (int k = 0; k < slices; k++) {
            assertEquals(sl.width()[k] * height, sl.start()[k + 1] - sl.start()[k], "slice " + k + " size");
            for (int lane = 0; lane < height; lane++) {
                int r = sl.rows()[k * height + lane];
                if (r < 0) {
                    continue;
                }
                seen[r]++;
                // A row sits in the slices of the block that steps it.
                int first = sl.firstSlice(r / block * block, block);
                assertTrue(k >= first && k < first + block / height, "row " + r + " in slice " + k);
                int from = GRAPH.rowPtr()[r];
                int degree = GRAPH.rowPtr()[r + 1] - from;
                assertTrue(degree <= sl.width()[k], "row " + r + " wider than its slice");
                for (int e = 0; e < sl.width()[k]; e++) {
                    int at = sl.start()[k] + e * height + lane;
                    if (e < degree) {
                        assertEquals(GRAPH.col()[from + e], sl.col()[at], "row " + r + " edge " + e);
                        assertEquals(GRAPH.weight()[from + e], sl.weight()[at], "row " + r + " edge " + e);
                    } else {
                        assertEquals(0f, sl.weight()[at], "padding of row " + r);
                    }
                }
            }
        }
        for (int r = 0; r < seen.length; r++) {
            assertEquals(1, seen[r], "row " + r + " slots");
        }
    }

    @Test
    void rowsOfABlockAreSortedWidestFirst() {
        SlicedRows sl = SlicedRows.of(GRAPH.rowPtr(), GRAPH.col(), GRAPH.weight(), GRAPH.rows(), 8, 256);
        int[] rows = sl.rows();
        for (int i = 1; i < rows.length; i++) {
            boolean sameBlock = rows[i] >= 0 && rows[i - 1] >= 0 && rows[i] / 256 == rows[i - 1] / 256;
            if (sameBlock) {
                int before = GRAPH.rowPtr()[rows[i - 1] + 1] - GRAPH.rowPtr()[rows[i - 1]];
                int here = GRAPH.rowPtr()[rows[i] + 1] - GRAPH.rowPtr()[rows[i]];
                assertTrue(before > here || before == here && rows[i - 1] < rows[i], "slot " + i);
            }
        }
    }

    /**
     * The vector kernel on slices against the same kernel on CSR (the path it takes where Y is larger than
     * {@link CpuBackend#SLICED_MAX_Y_BYTES} or the padded edges would not fit one array): the same products,
     * except that CSR rows sum even and odd edges apart, so equal within rounding.
     */
    @ParameterizedTest(name = "{0} classes")
    @ValueSource(ints = {3, 10, 16, 20})
    void slicedStepEqualsTheCsrStep(int classes) {
        VectorKernels kernels = new VectorKernels();
        int stride = (classes + kernels.classPadding() - 1) / kernels.classPadding() * kernels.classPadding();
        int height = kernels.sliceHeight(stride);
        if (height == 0) {
            return; // three or more vectors per row: no slices on this machine's vector width
        }
        int n = GRAPH.rows();
        Random random = new Random(classes);
        float[] y = new float[n * stride];
        float[] y0 = new float[n * stride];
        boolean[] prior = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                y[i * stride + c] = random.nextFloat();
            }
            if (random.nextInt(10) == 0) {
                y0[i * stride + random.nextInt(classes)] = 1f;
                prior[i] = true;
            }
        }
        SlicedRows sl = SlicedRows.of(GRAPH.rowPtr(), GRAPH.col(), GRAPH.weight(), n, height, CpuBackend.ROW_BLOCK);
        StepRule rule = new StepRule(0.9f, 0.1f, null, true);
        PaddedStep sliced = new PaddedStep(GRAPH.rowPtr(), GRAPH.col(), GRAPH.weight(), y0, classes, stride, rule, sl, prior);
        PaddedStep csr = new PaddedStep(GRAPH.rowPtr(), GRAPH.col(), GRAPH.weight(), y0, classes, stride, rule, null, prior);
        float[] a = new float[y.length];
        float[] b = new float[y.length];
        StepResult ra = kernels.stepRows(sliced, y, a, 0, n, 1f);
        StepResult rb = kernels.stepRows(csr, y, b, 0, n, 1f);
        assertEquals(rb.change(), ra.change(), 1e-5 * rb.mass());
        assertEquals(rb.mass(), ra.mass(), 1e-5 * rb.mass());
        float[] diff = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            diff[i] = Math.abs(a[i] - b[i]) <= 1e-6f ? 0f : a[i] - b[i];
        }
        assertArrayEquals(new float[y.length], diff, "entries that differ by more than 1e-6");
    }
}
