package org.labelprop.core.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.ReferenceBackend;

class PcaTest {
    private static final ReferenceBackend REF = new ReferenceBackend(new ForkJoinPool(3));

    @Test
    void jacobiEigenpairsSatisfyTheDefinition() {
        Random r = new Random(3);
        int n = 9;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i * n + j] = a[j * n + i] = r.nextGaussian();
            }
        }
        double[] v = new double[n * n];
        double[] lambda = SymmetricEigen.decompose(a.clone(), n, v);
        for (int j = 0; j < n; j++) {
            if (j > 0) {
                assertTrue(lambda[j] <= lambda[j - 1]);
            }
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i * n + k] * v[k * n + j];
                }
                assertEquals(lambda[j] * v[i * n + j], av, 1e-9);
            }
        }
    }

    @Test
    void randomizedComponentsMatchTheCovarianceEigenvectors() {
        // Three strong directions (scales 10, 5, 2) plus small isotropic noise in 40 dimensions.
        int n = 3000;
        int d = 40;
        FloatMatrix m = threeStrongDirections(n, d);
        float[] x = m.data();
        Pca pca = Pca.fit(REF, m, 3, 1);

        // Reference: the sample covariance, decomposed directly.
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                mean[t] += x[i * d + t] / (double) n;
            }
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < d; s++) {
                for (int t = 0; t < d; t++) {
                    cov[s * d + t] += (x[i * d + s] - mean[s]) * (x[i * d + t] - mean[t]) / (n - 1);
                }
            }
        }
        double[] vectors = new double[d * d];
        double[] eig = SymmetricEigen.decompose(cov, d, vectors);
        for (int j = 0; j < 3; j++) {
            float[] comp = pca.component(j);
            double dot = 0;
            for (int t = 0; t < d; t++) {
                dot += comp[t] * vectors[t * d + j];
            }
            assertEquals(1.0, Math.abs(dot), 1e-4, "component " + j);
            assertEquals(eig[j], pca.variance()[j], 1e-3 * eig[j], "variance " + j);
        }

        // Projections keep the distances of the three strong directions: a row's squared norm in
        // component space equals its centred squared norm minus the noise left out.
        FloatMatrix z = pca.transform(REF, m);
        assertEquals(3, z.cols());
        double kept = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                kept += z.get(i, j) * z.get(i, j);
            }
            for (int t = 0; t < d; t++) {
                total += (x[i * d + t] - mean[t]) * (x[i * d + t] - mean[t]);
            }
        }
        double noise = 0.01 * (d - 3) * n;
        assertEquals(total - noise, kept, 0.01 * total);
        // Same seed, same result on another thread count.
        assertEquals(pca.variance()[0], Pca.fit(new ReferenceBackend(new ForkJoinPool(1)), m, 3, 1).variance()[0], 0.0);
    }

    @Test
    void whiteningDividesEachCoordinateByItsVarianceToThePower() {
        FloatMatrix m = threeStrongDirections(3000, 40);
        Pca pca = Pca.fit(REF, m, 3, 1);
        FloatMatrix plain = pca.transform(REF, m);
        double[] variance = pca.variance();
        for (double whitening : new double[] {0.25, 0.5}) {
            FloatMatrix z = pca.transform(REF, m, whitening);
            for (int j = 0; j < 3; j++) {
                double scale = Math.pow(variance[j], -whitening);
                double sq = 0;
                for (int i = 0; i < m.rows(); i++) {
                    assertEquals(plain.get(i, j) * scale, z.get(i, j), 1e-4 * Math.abs(plain.get(i, j) * scale) + 1e-5);
                    sq += (double) z.get(i, j) * z.get(i, j);
                }
                // Closed form: the coordinate's sample variance becomes variance_j^(1 - 2 whitening), 1 when
                // fully whitened (the projected coordinates have mean 0).
                double expected = Math.pow(variance[j], 1 - 2 * whitening);
                assertEquals(expected, sq / (m.rows() - 1), 1e-3 * expected, "coordinate " + j + " at " + whitening);
            }
        }
        assertThrows(InvalidOptionException.class, () -> pca.transform(REF, m, 0.6));
        assertThrows(InvalidOptionException.class, () -> pca.transform(REF, m, -0.1));
    }

    /** Three strong directions (scales 10, 5, 2) plus small isotropic noise, mean 3 in every feature. */
    private static FloatMatrix threeStrongDirections(int n, int d) {
        Random r = new Random(11);
        double[][] u = new double[3][d];
        for (double[] row : u) {
            for (int t = 0; t < d; t++) {
                row[t] = r.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double a = 10 * r.nextGaussian();
            double b = 5 * r.nextGaussian();
            double c = 2 * r.nextGaussian();
            for (int t = 0; t < d; t++) {
                x[i * d + t] = (float) (3 + a * u[0][t] + b * u[1][t] + c * u[2][t] + 0.1 * r.nextGaussian());
            }
        }
        return new FloatMatrix(n, d, x);
    }

    /**
     * The components made orthonormal in double: rows of unit length and pairwise orthogonal to double's rounding
     * (the float components only to float's), each within float rounding of its float component; and the mean.
     */
    @Test
    void orthonormalComponentsAreTheComponentsExactlyOrthonormal() {
        Random r = new Random(5);
        int n = 400;
        int d = 30;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (1 + i % d) + 3);
        }
        FloatMatrix m = new FloatMatrix(n, d, x);
        Pca pca = Pca.fit(REF, m, 8, 1);
        double[] p = pca.orthonormalComponents();
        for (int a = 0; a < 8; a++) {
            float[] c = pca.component(a);
            for (int b = 0; b < 8; b++) {
                double dot = 0;
                for (int t = 0; t < d; t++) {
                    dot += p[a * d + t] * p[b * d + t];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-14, "rows " + a + ", " + b);
            }
            for (int t = 0; t < d; t++) {
                assertEquals(c[t], p[a * d + t], 1e-5, "component " + a + ", feature " + t);
            }
        }
        float[] mean = pca.mean();
        for (int t = 0; t < d; t++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[i * d + t];
            }
            assertEquals(sum / n, mean[t], 1e-5 * (1 + Math.abs(sum / n)));
        }
    }
}
