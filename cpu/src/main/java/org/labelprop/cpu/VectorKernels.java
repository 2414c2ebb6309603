package org.labelprop.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.DoubleVector;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.TopK;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. The only class that touches jdk.incubator.vector: it is loaded by name after a
 * check that the module is readable, so the backend still starts without it.
 *
 * <p>The distance tile is an outer product over packed panels ({@link Panels}), register-blocked 6 x 2L:
 * twelve accumulators, no horizontal sums, loads well below the FMA rate.
 */
final class VectorKernels implements Kernels, RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Linear models: double lanes of the same width. Every float vector in this class is of the one species
     * S: the Vector API's shared code (FloatVector.fma, fromArray) keeps one type profile for all float
     * shapes, and once a second shape runs through it, C2 compiles later kernels with both shapes' paths
     * merged and the vectors boxed. Measured: running a propagation on 256-bit rows before the 512-bit
     * distance kernel was first compiled made that kernel 45x slower for the rest of the JVM's life.
     */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /** Refuses machines whose vectors are too narrow to beat scalar code (Lucene's threshold). */
    VectorKernels() {
        if (S.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector of " + S.vectorBitSize() + " bits");
        }
    }

    @Override
    public String description() {
        return "Vector API, " + S.vectorBitSize() + "-bit, " + (WIDE ? "6 x 2" : "3 x 3") + " register block";
    }

    @Override
    public int panelWidth() {
        return L;
    }

    /**
     * Register blocks chosen by vector width, since the width tells the register file on x86: with 512-bit
     * vectors (AVX-512, 32 registers) 6 query rows x 2 panels, twelve accumulators; with 256-bit vectors
     * (AVX2, 16 registers) 3 x 3, nine accumulators plus three panel loads and a broadcast. 6 x 2 on AVX2
     * needs 15 of the 16 registers and JDK 17's C2 spilled three accumulators to the stack in the inner
     * loop: 55 GFLOP/s on one core against 110 for 3 x 3 (docs/benchmarks.md). Every output is the same
     * sum in the same order whatever the block, so results do not depend on it.
     */
    @Override
    public int panelGroup() {
        return WIDE ? 2 : 3;
    }

    private static final boolean WIDE = L >= 16;

    @Override
    public void dotTile(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out, int stride) {
        if (WIDE) {
            dotTile6x2(q, q0, qn, d, panels, p0, pn, out, stride);
        } else {
            dotTile3x3(q, q0, qn, d, panels, p0, pn, out, stride);
        }
    }

    static void dotTile6x2(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                                   int stride) {
        int p = 0;
        for (; p + 2 <= pn; p += 2) {
            int i = 0;
            for (; i + 6 <= qn; i += 6) {
                dot6x2(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L, stride);
            }
            for (; i < qn; i++) {
                dot1x1(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L);
                dot1x1(q, (q0 + i) * d, d, panels, (p0 + p + 1) * d * L, out, i * stride + (p + 1) * L);
            }
        }
        for (; p < pn; p++) {
            for (int i = 0; i < qn; i++) {
                dot1x1(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L);
            }
        }
    }

    static void dotTile3x3(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                                   int stride) {
        int p = 0;
        for (; p + 3 <= pn; p += 3) {
            int i = 0;
            for (; i + 3 <= qn; i += 3) {
                dot3x3(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L, stride);
            }
            for (; i < qn; i++) {
                for (int pp = p; pp < p + 3; pp++) {
                    dot1x1(q, (q0 + i) * d, d, panels, (p0 + pp) * d * L, out, i * stride + pp * L);
                }
            }
        }
        for (; p < pn; p++) {
            for (int i = 0; i < qn; i++) {
                dot1x1(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L);
            }
        }
    }

    /** Three query rows against three panels: nine accumulators, three loads and three broadcasts per feature. */
    private static void dot3x3(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo, int stride) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        int second = d * L;
        int third = 2 * second;
        for (int t = 0; t < d; t++) {
            FloatVector b0 = FloatVector.fromArray(S, panels, po + t * L);
            FloatVector b1 = FloatVector.fromArray(S, panels, po + second + t * L);
            FloatVector b2 = FloatVector.fromArray(S, panels, po + third + t * L);
            FloatVector a = FloatVector.broadcast(S, q[qo + t]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, q[qo + d + t]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, q[qo + 2 * d + t]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
        }
        c00.intoArray(out, oo);
        c01.intoArray(out, oo + L);
        c02.intoArray(out, oo + 2 * L);
        c10.intoArray(out, oo + stride);
        c11.intoArray(out, oo + stride + L);
        c12.intoArray(out, oo + stride + 2 * L);
        c20.intoArray(out, oo + 2 * stride);
        c21.intoArray(out, oo + 2 * stride + L);
        c22.intoArray(out, oo + 2 * stride + 2 * L);
    }

    /** One query row against one panel: L dot products in one accumulator. */
    private static void dot1x1(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo) {
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < d; t++) {
            acc = FloatVector.broadcast(S, q[qo + t]).fma(FloatVector.fromArray(S, panels, po + t * L), acc);
        }
        acc.intoArray(out, oo);
    }

    /**
     * Six query rows against two panels (2L base rows): twelve accumulators, and per feature two vector
     * loads and six broadcasts for twelve fused multiply-adds.
     */
    private static void dot6x2(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo, int stride) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        int second = d * L;
        for (int t = 0; t < d; t++) {
            FloatVector b0 = FloatVector.fromArray(S, panels, po + t * L);
            FloatVector b1 = FloatVector.fromArray(S, panels, po + second + t * L);
            FloatVector a = FloatVector.broadcast(S, q[qo + t]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, q[qo + d + t]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, q[qo + 2 * d + t]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, q[qo + 3 * d + t]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, q[qo + 4 * d + t]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, q[qo + 5 * d + t]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        c00.intoArray(out, oo);
        c01.intoArray(out, oo + L);
        c10.intoArray(out, oo + stride);
        c11.intoArray(out, oo + stride + L);
        c20.intoArray(out, oo + 2 * stride);
        c21.intoArray(out, oo + 2 * stride + L);
        c30.intoArray(out, oo + 3 * stride);
        c31.intoArray(out, oo + 3 * stride + L);
        c40.intoArray(out, oo + 4 * stride);
        c41.intoArray(out, oo + 4 * stride + L);
        c50.intoArray(out, oo + 5 * stride);
        c51.intoArray(out, oo + 5 * stride + L);
    }

    /**
     * Distances a vector at a time, compared with the heap's bound; only lanes that pass go to the heap one
     * by one. Once the heap is full almost no lane passes, so this is what makes low-dimensional tiles
     * (where the dot products are cheap) fast.
     */
    @Override
    public void selectRow(float[] tile, int row, int bn, float qNorm, float[] bNorm, int b0, int self, TopK top) {
        FloatVector q = FloatVector.broadcast(S, qNorm);
        int j = 0;
        for (; j + L <= bn; j += L) {
            FloatVector dd = FloatVector.fromArray(S, tile, row + j).mul(-2f).add(FloatVector.fromArray(S, bNorm, b0 + j))
                    .add(q);
            VectorMask<Float> pass = dd.compare(VectorOperators.LE, top.bound());
            if (pass.anyTrue()) {
                for (int lane = 0; lane < L; lane++) {
                    if (pass.laneIsSet(lane)) {
                        offer(top, Math.max(0f, dd.lane(lane)), b0 + j + lane, self);
                    }
                }
            }
        }
        for (; j < bn; j++) {
            offer(top, Math.max(0f, qNorm + bNorm[b0 + j] - 2f * tile[row + j]), b0 + j, self);
        }
    }

    /** Scalar, in the vector path's order of operations: ((-2 dot) + base norm) + query norm. */
    @Override
    public void selectColumn(float[] tile, int col, int stride, int qn, int q0, float[] norms, int b, TopK top) {
        float bound = top.bound();
        float qNorm = norms[b];
        for (int i = 0; i < qn; i++) {
            float dd = tile[i * stride + col] * -2f + norms[q0 + i] + qNorm;
            if (dd <= bound) {
                top.offer(Math.max(0f, dd), q0 + i);
                bound = top.bound();
            }
        }
    }

    private static void offer(TopK top, float d, int index, int self) {
        if (index != self && d <= top.bound()) {
            top.offer(d, index);
        }
    }

    /** Whole vectors, then a scalar tail: rows need no padding. */
    @Override
    public float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector acc = FloatVector.zero(S);
        int bound = length - length % L;
        int t = 0;
        for (; t < bound; t += L) {
            FloatVector diff = FloatVector.fromArray(S, a, aOffset + t).sub(FloatVector.fromArray(S, b, bOffset + t));
            acc = diff.fma(diff, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; t < length; t++) {
            float u = a[aOffset + t] - b[bOffset + t];
            s += u * u;
        }
        return s;
    }

    /**
     * Class chunks of one vector each, accumulated in registers over the row's edges (two accumulators
     * to halve the FMA dependency chain); accumulating into the {@code acc} array instead would chain
     * every edge through a store and a reload. Rows are padded to whole vectors ({@link #classPadding()}),
     * so up to 16 classes take one 512-bit load and one FMA per edge.
     */
    @Override
    public void spmmRow(int[] col, float[] w, int from, int to, float[] y, int c, float[] acc) {
        for (int k = 0; k < c; k += L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            int e = from;
            for (; e + 1 < to; e += 2) {
                a0 = FloatVector.fromArray(S, y, col[e] * c + k).fma(FloatVector.broadcast(S, w[e]), a0);
                a1 = FloatVector.fromArray(S, y, col[e + 1] * c + k).fma(FloatVector.broadcast(S, w[e + 1]), a1);
            }
            if (e < to) {
                a0 = FloatVector.fromArray(S, y, col[e] * c + k).fma(FloatVector.broadcast(S, w[e]), a0);
            }
            a0.add(a1).intoArray(acc, k);
        }
    }

    @Override
    public int classPadding() {
        return L;
    }

    /**
     * A row of features widened to double, so the class loops run on double vectors alone (widening float
     * vectors in registers needs a half-width float species, see S, or an expanding conversion that
     * measured slower than this copy: a fit 12.2 s against 16.3 s).
     */
    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[0]);

    private static double[] widened(float[] x, int o, int d) {
        double[] row = ROW.get();
        if (row.length < d) {
            row = new double[d];
            ROW.set(row);
        }
        for (int j = 0; j < d; j++) {
            row[j] = x[o + j];
        }
        return row;
    }

    /** One class at a time over the widened row: D.length() products per FMA. */
    @Override
    public void linearScores(float[] x, int o, int d, double[] w, double[] b, double[] z) {
        double[] row = widened(x, o, d);
        int n = D.length();
        int bound = d - d % n;
        for (int k = 0; k < z.length; k++) {
            int wk = k * d;
            DoubleVector acc = DoubleVector.zero(D);
            int j = 0;
            for (; j < bound; j += n) {
                acc = DoubleVector.fromArray(D, w, wk + j).fma(DoubleVector.fromArray(D, row, j), acc);
            }
            double s = acc.reduceLanes(VectorOperators.ADD);
            for (; j < d; j++) {
                s += w[wk + j] * row[j];
            }
            z[k] = b[k] + s;
        }
    }

    @Override
    public void addScaledRow(double[] g, double[] r, float[] x, int o, int d) {
        double[] row = widened(x, o, d);
        int n = D.length();
        int bound = d - d % n;
        for (int k = 0; k < r.length; k++) {
            double rk = r[k];
            if (rk == 0) {
                continue;
            }
            int gk = k * d;
            DoubleVector rv = DoubleVector.broadcast(D, rk);
            int j = 0;
            for (; j < bound; j += n) {
                DoubleVector.fromArray(D, row, j).fma(rv, DoubleVector.fromArray(D, g, gk + j)).intoArray(g, gk + j);
            }
            for (; j < d; j++) {
                g[gk + j] += rk * row[j];
            }
        }
    }
}
