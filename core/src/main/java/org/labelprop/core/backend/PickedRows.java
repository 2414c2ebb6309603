package org.labelprop.core.backend;

import org.labelprop.core.FloatMatrix;

/**
 * Rows of a matrix named by index, with the squared norms of all of the matrix's rows: one side of a
 * {@link Backend#nearestBothWays} search. An inverted file searches thousands of lists of the same rows; handing
 * the backend each list as indexes and the norms once, rather than a copy of its rows, saves the copy and the
 * norms' recomputation (together 8% of a Fashion-MNIST search, docs/benchmarks.md, tenth pass).
 *
 * @param matrix the rows named
 * @param rows indexes into {@code matrix}, in the order the search reports them
 * @param norms {@link FloatMatrix#squaredNorms() matrix.squaredNorms()}
 */
public record PickedRows(FloatMatrix matrix, int[] rows, float[] norms) {
    public PickedRows {
        if (norms.length != matrix.rows()) {
            throw new IllegalArgumentException(norms.length + " norms for a matrix of " + matrix.rows() + " rows");
        }
    }

    /** All rows of {@code matrix} in order, their norms computed here. */
    public static PickedRows all(FloatMatrix matrix) {
        return all(matrix, matrix.squaredNorms());
    }

    /** All rows of {@code matrix} in order, with {@code norms} its rows' squared norms. */
    public static PickedRows all(FloatMatrix matrix, float[] norms) {
        return new PickedRows(matrix, java.util.stream.IntStream.range(0, matrix.rows()).toArray(), norms);
    }

    public int count() {
        return rows.length;
    }

    /**
     * The named rows, in order, as a matrix to read: a copy, or the matrix itself where they are all its rows
     * in order (an inverted file's assignment names every row).
     */
    public FloatMatrix selected() {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return matrix.selectRows(rows);
            }
        }
        return rows.length == matrix.rows() ? matrix : matrix.selectRows(rows);
    }
}
