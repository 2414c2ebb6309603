package org.labelprop.cpu;

import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.backend.TopK;

/**
 * Plain loops for when jdk.incubator.vector is not readable; still blocked and parallel, so only the
 * SIMD width is lost. Also what the cpu backend runs small problems on, since it needs no JIT warm-up.
 */
final class ScalarKernels implements Kernels {
    @Override
    public String description() {
        return "scalar";
    }

    @Override
    public int panelWidth() {
        return 8;
    }

    /**
     * One query row against one panel of 8 base rows: eight sums in local variables, which C2 keeps in
     * registers (an accumulator array went through memory on every feature: 2.6 against about 10 GFLOP/s).
     */
    @Override
    public void dotTile(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out, int stride) {
        for (int i = 0; i < qn; i++) {
            int qo = (q0 + i) * d;
            for (int p = 0; p < pn; p++) {
                int po = (p0 + p) * d * 8;
                float a0 = 0;
                float a1 = 0;
                float a2 = 0;
                float a3 = 0;
                float a4 = 0;
                float a5 = 0;
                float a6 = 0;
                float a7 = 0;
                for (int t = 0; t < d; t++) {
                    float a = q[qo + t];
                    int b = po + t * 8;
                    a0 += a * panels[b];
                    a1 += a * panels[b + 1];
                    a2 += a * panels[b + 2];
                    a3 += a * panels[b + 3];
                    a4 += a * panels[b + 4];
                    a5 += a * panels[b + 5];
                    a6 += a * panels[b + 6];
                    a7 += a * panels[b + 7];
                }
                int o = i * stride + p * 8;
                out[o] = a0;
                out[o + 1] = a1;
                out[o + 2] = a2;
                out[o + 3] = a3;
                out[o + 4] = a4;
                out[o + 5] = a5;
                out[o + 6] = a6;
                out[o + 7] = a7;
            }
        }
    }

    @Override
    public void selectRow(float[] tile, int row, int bn, float qNorm, float[] bNorm, int b0, int self, TopK top) {
        float bound = top.bound();
        for (int j = 0; j < bn; j++) {
            float dd = Math.max(0f, qNorm + bNorm[b0 + j] - 2f * tile[row + j]);
            if (dd <= bound && b0 + j != self) {
                top.offer(dd, b0 + j);
                bound = top.bound();
            }
        }
    }

    @Override
    public void selectColumns(float[] tile, int stride, int qn, int q0, float[] qNorms, int qNormAt, int bn, int b0,
                              float[] bNorms, TopK[] tops) {
        for (int j = 0; j < bn; j++) {
            TopK top = tops[b0 + j];
            float bound = top.bound();
            float qNorm = bNorms[b0 + j];
            for (int i = 0; i < qn; i++) {
                float dd = Math.max(0f, qNorm + qNorms[qNormAt + i] - 2f * tile[i * stride + j]);
                if (dd <= bound) {
                    top.offer(dd, q0 + i);
                    bound = top.bound();
                }
            }
        }
    }

    @Override
    public int classPadding() {
        return 1;
    }

    /**
     * The reference backend's loop ({@code StepRule.apply}) on a row range, one class sum at a time; with
     * momentum, next holds the iterate before y on entry.
     */
    @Override
    public StepResult stepRows(PaddedStep step, float[] y, float[] next, int from, int to, float momentum) {
        int[] rowPtr = step.rowPtr();
        int[] col = step.col();
        float[] w = step.weight();
        float[] y0 = step.y0();
        int c = step.classes();
        int s = step.stride();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        float[] acc = new float[c];
        double change = 0;
        double mass = 0;
        for (int i = from; i < to; i++) {
            int o = i * s;
            if (rule.isClamped(i)) {
                System.arraycopy(y0, o, acc, 0, c);
            } else {
                float sum = 0;
                for (int k = 0; k < c; k++) {
                    acc[k] = alpha * gatherColumn(col, w, rowPtr[i], rowPtr[i + 1], y, s, k) + beta * y0[o + k];
                    sum += acc[k];
                }
                if (rule.normalizeRows() && sum != 0f) {
                    float inv = 1f / sum;
                    for (int k = 0; k < c; k++) {
                        acc[k] *= inv;
                    }
                }
                if (momentum != 1f) {
                    for (int k = 0; k < c; k++) {
                        acc[k] = momentum * acc[k] + (1f - momentum) * next[o + k];
                    }
                }
            }
            for (int k = 0; k < c; k++) {
                change += Math.abs(acc[k] - y[o + k]);
                mass += Math.abs(acc[k]);
                next[o + k] = acc[k];
            }
        }
        return new StepResult(change, mass);
    }

    /**
     * sum over e in [from, to) of w[e] * y[col[e] * c + k]: one class of one row, in two interleaved
     * register accumulators (the row's edges stay in L1 across classes).
     */
    static float gatherColumn(int[] col, float[] w, int from, int to, float[] y, int c, int k) {
        float s0 = 0f;
        float s1 = 0f;
        int e = from;
        for (; e + 1 < to; e += 2) {
            s0 += w[e] * y[col[e] * c + k];
            s1 += w[e + 1] * y[col[e + 1] * c + k];
        }
        if (e < to) {
            s0 += w[e] * y[col[e] * c + k];
        }
        return s0 + s1;
    }
}
