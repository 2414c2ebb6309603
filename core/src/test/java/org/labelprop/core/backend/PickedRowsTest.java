package org.labelprop.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;

/** PickedRows' selected rows are the named rows of the matrix, in order; the matrix itself only when all, in order. */
class PickedRowsTest {
    private static final FloatMatrix X = new FloatMatrix(4, 2, new float[] {0, 1, 2, 3, 4, 5, 6, 7});

    @Test
    void selectsTheNamedRowsInOrder() {
        PickedRows p = new PickedRows(X, new int[] {3, 0, 3}, X.squaredNorms());
        FloatMatrix s = p.selected();
        assertEquals(3, p.count());
        assertArrayEquals(new float[] {6, 7, 0, 1, 6, 7}, s.data());
    }

    @Test
    void allRowsInOrderAreTheMatrixItselfAndAnyOtherChoiceACopy() {
        assertSame(X, PickedRows.all(X).selected());
        assertArrayEquals(X.squaredNorms(), PickedRows.all(X).norms());
        // A prefix, and all rows out of order, are not the matrix.
        FloatMatrix prefix = new PickedRows(X, new int[] {0, 1, 2}, X.squaredNorms()).selected();
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, prefix.data());
        FloatMatrix swapped = new PickedRows(X, new int[] {1, 0, 2, 3}, X.squaredNorms()).selected();
        assertNotSame(X, swapped);
        assertArrayEquals(new float[] {2, 3, 0, 1, 4, 5, 6, 7}, swapped.data());
    }

    @Test
    void normsMustCoverEveryRowOfTheMatrix() {
        assertThrows(IllegalArgumentException.class, () -> new PickedRows(X, new int[] {0}, new float[3]));
    }
}
