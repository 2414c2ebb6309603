package org.labelprop.core.testing;

import java.util.Random;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Symmetrization;

/** Seeded random inputs shared by the tests of core and of every backend. */
public final class TestData {
    private TestData() {
    }

    /** n x d standard normal entries. */
    public static FloatMatrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(n, d, x);
    }

    /**
     * {@code perClass} points around each of {@code classes} random centres in d dimensions, with
     * {@code spread} the noise scale; the true class of row i is {@code i % classes}.
     */
    public static FloatMatrix blobs(int classes, int perClass, int d, float spread, long seed) {
        Random r = new Random(seed);
        float[][] centre = new float[classes][d];
        for (float[] c : centre) {
            for (int t = 0; t < d; t++) {
                c[t] = (float) r.nextGaussian() * 4f;
            }
        }
        int n = classes * perClass;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                x[i * d + t] = centre[i % classes][t] + spread * (float) r.nextGaussian();
            }
        }
        return new FloatMatrix(n, d, x);
    }

    /**
     * n rows near a {@code rank}-dimensional subspace of d dimensions: {@code offset} in every feature, plus random
     * combinations of {@code rank} random directions, plus {@code noise} times standard normal noise; with
     * {@code rounded}, every entry rounded to an integer (exact ties and repeated rows).
     */
    public static FloatMatrix lowRank(int n, int d, int rank, float noise, float offset, boolean rounded, long seed) {
        Random r = new Random(seed);
        float[][] basis = new float[rank][d];
        for (float[] b : basis) {
            for (int t = 0; t < d; t++) {
                b[t] = (float) r.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        double[] s = new double[rank];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rank; j++) {
                s[j] = r.nextGaussian();
            }
            for (int t = 0; t < d; t++) {
                double v = offset + noise * r.nextGaussian();
                for (int j = 0; j < rank; j++) {
                    v += s[j] * basis[j][t];
                }
                x[i * d + t] = rounded ? Math.round(v) : (float) v;
            }
        }
        return new FloatMatrix(n, d, x);
    }

    /** A random undirected weighted graph: about {@code degree} edges per row, weights in (0, 1]. */
    public static CsrGraph randomGraph(int n, int degree, long seed) {
        Random r = new Random(seed);
        int m = n * degree / 2;
        int[] src = new int[m];
        int[] dst = new int[m];
        float[] w = new float[m];
        for (int e = 0; e < m; e++) {
            src[e] = r.nextInt(n);
            dst[e] = r.nextInt(n);
            w[e] = 1f - r.nextFloat();
        }
        return GraphBuilder.fromEdges(n, src, dst, w, Symmetrization.MAX, false);
    }

    /** Labels with {@code perClass} labeled rows per class (class of row i is i % classes), -1 elsewhere. */
    public static int[] fewLabels(int n, int classes, int perClass) {
        int[] y = new int[n];
        java.util.Arrays.fill(y, -1);
        int[] seen = new int[classes];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            if (seen[c] < perClass) {
                y[i] = c;
                seen[c]++;
            }
        }
        return y;
    }
}
