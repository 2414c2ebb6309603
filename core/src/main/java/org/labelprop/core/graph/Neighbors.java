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
}
