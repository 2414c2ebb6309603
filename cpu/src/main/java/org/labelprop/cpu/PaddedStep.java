package org.labelprop.cpu;

import org.labelprop.core.backend.StepRule;

/**
 * What a propagation step reads besides Y, for {@link Kernels#stepRows}: the graph in CSR (and, for kernels
 * that step several rows at once, in {@link SlicedRows}), the prior Y0 and the rule. Class matrices are held
 * with rows of {@code stride} floats, the {@code classes} values then zeros up to a multiple of
 * {@link Kernels#classPadding()}, so a vector kernel reads whole vectors per row.
 *
 * @param slices    the graph sliced for {@link Kernels#sliceHeight}, or null where the kernel reads CSR
 * @param priorRows which rows of Y0 hold a nonzero value: the others' beta * Y0 term is zero and not read
 *                  (label spreading's prior is zero on every unlabeled row, most of the graph)
 */
record PaddedStep(int[] rowPtr, int[] col, float[] weight, float[] y0, int classes, int stride, StepRule rule,
                  SlicedRows slices, boolean[] priorRows) {
    boolean hasPrior(int row) {
        return priorRows[row];
    }
}
