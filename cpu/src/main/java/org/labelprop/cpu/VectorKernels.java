package org.labelprop.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. The only class that touches jdk.incubator.vector: it is loaded by name after a
 * check that the module is readable, so the backend still starts without it.
 *
 * <p>The dot-product tile is register-blocked 4 x 4: per step of one vector along the feature
 * dimension it loads 4 query and 4 base vectors and issues 16 fused multiply-adds into 16 accumulators,
 * so loads stay below the FMA rate. Horizontal sums happen once per pair, after the whole row.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** SpMM rows are short (the class count): a 256-bit species wastes fewer lanes on 10 classes. */
    private static final VectorSpecies<Float> C = FloatVector.SPECIES_256;

    @Override
    public String description() {
        return "Vector API, " + S.vectorBitSize() + "-bit";
    }

    @Override
    public int padding() {
        return L;
    }

    @Override
    public void dotTile(float[] q, int q0, int qn, float[] b, int b0, int bn, int d, float[] out) {
        int i = 0;
        for (; i + 4 <= qn; i += 4) {
            int j = 0;
            for (; j + 4 <= bn; j += 4) {
                dot4x4(q, (q0 + i) * d, b, (b0 + j) * d, d, out, i * bn + j, bn);
            }
            for (; j < bn; j++) {
                for (int r = 0; r < 4; r++) {
                    out[(i + r) * bn + j] = dot(q, (q0 + i + r) * d, b, (b0 + j) * d, d);
                }
            }
        }
        for (; i < qn; i++) {
            for (int j = 0; j < bn; j++) {
                out[i * bn + j] = dot(q, (q0 + i) * d, b, (b0 + j) * d, d);
            }
        }
    }

    @Override
    public float squaredDistance(float[] x, int a, int b, int d) {
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < d; t += L) {
            FloatVector diff = FloatVector.fromArray(S, x, a + t).sub(FloatVector.fromArray(S, x, b + t));
            acc = diff.fma(diff, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static float dot(float[] q, int qo, float[] b, int bo, int d) {
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < d; t += L) {
            acc = FloatVector.fromArray(S, q, qo + t).fma(FloatVector.fromArray(S, b, bo + t), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static void dot4x4(float[] q, int qo, float[] b, int bo, int d, float[] out, int oo, int stride) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        for (int t = 0; t < d; t += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + t);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + d + t);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * d + t);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * d + t);
            FloatVector a = FloatVector.fromArray(S, q, qo + t);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.fromArray(S, q, qo + d + t);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.fromArray(S, q, qo + 2 * d + t);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.fromArray(S, q, qo + 3 * d + t);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
        }
        out[oo] = c00.reduceLanes(VectorOperators.ADD);
        out[oo + 1] = c01.reduceLanes(VectorOperators.ADD);
        out[oo + 2] = c02.reduceLanes(VectorOperators.ADD);
        out[oo + 3] = c03.reduceLanes(VectorOperators.ADD);
        out[oo + stride] = c10.reduceLanes(VectorOperators.ADD);
        out[oo + stride + 1] = c11.reduceLanes(VectorOperators.ADD);
        out[oo + stride + 2] = c12.reduceLanes(VectorOperators.ADD);
        out[oo + stride + 3] = c13.reduceLanes(VectorOperators.ADD);
        out[oo + 2 * stride] = c20.reduceLanes(VectorOperators.ADD);
        out[oo + 2 * stride + 1] = c21.reduceLanes(VectorOperators.ADD);
        out[oo + 2 * stride + 2] = c22.reduceLanes(VectorOperators.ADD);
        out[oo + 2 * stride + 3] = c23.reduceLanes(VectorOperators.ADD);
        out[oo + 3 * stride] = c30.reduceLanes(VectorOperators.ADD);
        out[oo + 3 * stride + 1] = c31.reduceLanes(VectorOperators.ADD);
        out[oo + 3 * stride + 2] = c32.reduceLanes(VectorOperators.ADD);
        out[oo + 3 * stride + 3] = c33.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Class chunks of one vector each, accumulated in registers over the row's edges (two accumulators
     * to halve the FMA dependency chain), then the remaining classes one by one. Accumulating into the
     * {@code acc} array instead would chain every edge through a store and a reload.
     */
    @Override
    public void spmmRow(int[] col, float[] w, int from, int to, float[] y, int c, float[] acc) {
        int k = 0;
        for (; k + C.length() <= c; k += C.length()) {
            FloatVector a0 = FloatVector.zero(C);
            FloatVector a1 = a0;
            int e = from;
            for (; e + 1 < to; e += 2) {
                a0 = FloatVector.fromArray(C, y, col[e] * c + k).fma(FloatVector.broadcast(C, w[e]), a0);
                a1 = FloatVector.fromArray(C, y, col[e + 1] * c + k).fma(FloatVector.broadcast(C, w[e + 1]), a1);
            }
            if (e < to) {
                a0 = FloatVector.fromArray(C, y, col[e] * c + k).fma(FloatVector.broadcast(C, w[e]), a0);
            }
            a0.add(a1).intoArray(acc, k);
        }
        for (; k < c; k++) {
            acc[k] = ScalarKernels.gatherColumn(col, w, from, to, y, c, k);
        }
    }
}
