package org.labelprop.core.testing;

import java.util.Arrays;
import java.util.Comparator;
import org.labelprop.core.FloatMatrix;

/**
 * The obvious all-pairs search, independent of every backend: sort every candidate by exact euclidean
 * distance (double), ties by index. Slow on purpose; the oracle the graph tests compare against.
 */
public final class NaiveKnn {
    private NaiveKnn() {
    }

    public static double squaredDistance(FloatMatrix x, int i, int j) {
        double s = 0;
        for (int t = 0; t < x.cols(); t++) {
            double diff = (double) x.get(i, t) - x.get(j, t);
            s += diff * diff;
        }
        return s;
    }

    /** Sorted candidate indices and their euclidean distances for query row i (itself excluded if asked). */
    public static int[] order(FloatMatrix x, int i, boolean excludeSelf, double[] distOut) {
        int n = x.rows();
        Integer[] idx = new Integer[n];
        double[] d = new double[n];
        for (int j = 0; j < n; j++) {
            idx[j] = j;
            d[j] = Math.sqrt(squaredDistance(x, i, j));
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(j -> d[j]).thenComparingInt(j -> j));
        int[] out = Arrays.stream(idx).mapToInt(Integer::intValue).filter(j -> !(excludeSelf && j == i)).toArray();
        for (int p = 0; p < out.length && distOut != null; p++) {
            distOut[p] = d[out[p]];
        }
        return out;
    }
}
