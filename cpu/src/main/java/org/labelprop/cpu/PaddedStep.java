package org.labelprop.cpu;

import org.labelprop.core.backend.StepRule;

/**
 * What a propagation step reads besides Y, for {@link Kernels#stepRows}: the graph in CSR, the prior Y0 and
 * the rule. Class matrices are held with rows of {@code stride} floats, the {@code classes} values then zeros
 * up to a multiple of {@link Kernels#classPadding()}, so a vector kernel reads whole vectors per row.
 */
record PaddedStep(int[] rowPtr, int[] col, float[] weight, float[] y0, int classes, int stride, StepRule rule) {
}
