package org.labelprop.core.graph;

/**
 * The {@code k} nearest neighbours of each of {@code rows} query rows, row-major: the neighbours of row
 * {@code i} are {@code index[i*k .. i*k+k)} with distances {@code distance[i*k .. i*k+k)}, sorted by
 * distance and, among equal distances, by index, so the result is the same on every backend.
 */
public record Neighbors(int rows, int k, int[] index, float[] distance) {
    public Neighbors {
        if (rows < 0 || k < 0 || (long) rows * k != index.length || index.length != distance.length) {
            throw new IllegalArgumentException("Neighbors: " + rows + " rows x " + k + " needs arrays of "
                    + (long) rows * k + ", got " + index.length + " and " + distance.length);
        }
    }

    public int neighbor(int row, int j) {
        return index[row * k + j];
    }

    public float distance(int row, int j) {
        return distance[row * k + j];
    }

    /**
     * The order of every neighbour list: (d1, i1) comes before (d2, i2) when it is nearer, or as near with a
     * lower index. The tie rule is what makes every backend's lists the same.
     */
    public static boolean precedes(float d1, int i1, float d2, int i2) {
        return d1 < d2 || (d1 == d2 && i1 < i2);
    }

    /** Sorts entries [from, to) of parallel index and distance arrays by {@link #precedes} (insertion sort: lists are short). */
    public static void sort(int[] index, float[] dist, int from, int to) {
        for (int a = from + 1; a < to; a++) {
            int i = index[a];
            float d = dist[a];
            int b = a - 1;
            while (b >= from && precedes(d, i, dist[b], index[b])) {
                index[b + 1] = index[b];
                dist[b + 1] = dist[b];
                b--;
            }
            index[b + 1] = i;
            dist[b + 1] = d;
        }
    }
}
