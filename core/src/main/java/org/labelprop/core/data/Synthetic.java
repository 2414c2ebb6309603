package org.labelprop.core.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.EdgeList;

/**
 * Generated data. {@link #curves}: data with manifold structure, the demo's embedded default: each class is
 * a noisy closed curve in d dimensions, x(t) = centre + sum_h (a_h cos 2 pi h t + b_h sin 2 pi h t) + noise.
 * The curves are long compared with the distances between them, so the nearest labeled point is often of
 * another class while the neighbours along a curve almost never are: the case graph propagation exists for.
 * {@link #gaussianClusters}: the hard case for approximate neighbour search. {@link #stochasticBlockModel}: a
 * graph without features, as large as wanted, for propagation alone.
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
        IntStream.range(0, n).parallel().forEach(i -> {
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

    /**
     * A stochastic block model with planted classes: node i is of class i mod {@code classes} and draws
     * {@code withinClass} edges to nodes of its class and {@code anywhere} edges to any node, uniformly
     * (repeats and self-loops allowed), in that order, as directed edges of weight 1. Each node's edges come
     * from its own generator seeded with 1,000,003 i + seed, so the graph is the same on any thread count.
     */
    public static GraphDataset stochasticBlockModel(int n, int classes, int withinClass, int anywhere, long seed) {
        if (classes < 1 || n < classes || withinClass < 0 || anywhere < 0) {
            throw new IllegalArgumentException("a block model needs 1 <= classes <= n and edge counts >= 0, got n "
                    + n + ", " + classes + " classes, " + withinClass + " + " + anywhere + " edges per node");
        }
        int perNode = withinClass + anywhere;
        int[] truth = new int[n];
        int[] src = new int[FloatMatrix.checkSize(n, perNode, "edge list")];
        int[] dst = new int[src.length];
        IntStream.range(0, n).parallel().forEach(i -> {
            truth[i] = i % classes;
            SplittableRandom r = new SplittableRandom(1_000_003L * i + seed);
            for (int e = 0; e < perNode; e++) {
                // Same class: the nodes congruent to i modulo the class count.
                int j = e < withinClass ? (int) ((r.nextInt(n / classes) * (long) classes + i % classes) % n)
                        : r.nextInt(n);
                src[i * perNode + e] = i;
                dst[i * perNode + e] = j;
            }
        });
        return new GraphDataset("stochastic block model, " + n + " nodes in " + classes + " classes",
                n, new EdgeList(src, dst, null), truth);
    }
}
