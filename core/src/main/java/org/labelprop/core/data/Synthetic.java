package org.labelprop.core.data;

import java.util.SplittableRandom;
import org.labelprop.core.FloatMatrix;

/**
 * Generated data with manifold structure, the demo's embedded default: each class is a noisy closed curve
 * in d dimensions, x(t) = centre + sum_h (a_h cos 2 pi h t + b_h sin 2 pi h t) + noise. The curves are long
 * compared with the distances between them, so the nearest labeled point is often of another class while
 * the neighbours along a curve almost never are: the case graph propagation exists for.
 */
public final class Synthetic {
    private static final int HARMONICS = 3;

    private Synthetic() {
    }

    public static Dataset curves(int classes, int perClass, int dim, float noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centre = new float[classes][dim];
        float[][][] cos = new float[classes][HARMONICS][dim];
        float[][][] sin = new float[classes][HARMONICS][dim];
        for (int c = 0; c < classes; c++) {
            for (int t = 0; t < dim; t++) {
                centre[c][t] = (float) gaussian(r);
                for (int h = 0; h < HARMONICS; h++) {
                    cos[c][h][t] = (float) (3 * gaussian(r) / (h + 1));
                    sin[c][h][t] = (float) (3 * gaussian(r) / (h + 1));
                }
            }
        }
        int n = classes * perClass;
        float[] x = new float[FloatMatrix.checkSize(n, dim, "generated data")];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            truth[i] = c;
            double phase = 2 * Math.PI * r.nextDouble();
            for (int t = 0; t < dim; t++) {
                double v = centre[c][t];
                for (int h = 0; h < HARMONICS; h++) {
                    v += cos[c][h][t] * Math.cos((h + 1) * phase) + sin[c][h][t] * Math.sin((h + 1) * phase);
                }
                x[i * dim + t] = (float) (v + noise * gaussian(r));
            }
        }
        return new Dataset(classes + " noisy curves in " + dim + "-d", new FloatMatrix(n, dim, x), truth);
    }

    /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * {@code n} points in d dimensions around {@code clusters} centres drawn uniformly from [-10, 10]^d,
     * noise about 1 per dimension (a sum of four uniforms: near-Gaussian and cheap); class = cluster. Rows
     * are generated in parallel, each from its own seeded generator, so the data is the same on any thread
     * count. Isotropic noise in many dimensions is the hard case for approximate neighbour search.
     */
    public static Dataset gaussianClusters(int n, int d, int clusters, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] centres = new float[clusters * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (r.nextDouble() * 20 - 10);
        }
        float[] x = new float[FloatMatrix.checkSize(n, d, "generated data")];
        int[] truth = new int[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            SplittableRandom ri = new SplittableRandom(seed * 31 + i);
            int c = ri.nextInt(clusters);
            truth[i] = c;
            for (int t = 0; t < d; t++) {
                double g = ri.nextDouble() + ri.nextDouble() + ri.nextDouble() + ri.nextDouble() - 2.0;
                x[i * d + t] = centres[c * d + t] + (float) (g * 1.7);
            }
        });
        return new Dataset(clusters + " Gaussian clusters in " + d + "-d", new FloatMatrix(n, d, x), truth);
    }
}
