package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void anyNonNegativeLabelsWithGapsMapToDenseColumns() {
        Labels l = Labels.of(new int[] {2147483647, -1, 7, 0, 7, -1}, "labels");
        assertArrayEquals(new int[] {0, 7, 2147483647}, l.classes());
        assertEquals(2, l.column(0));
        assertEquals(-1, l.column(1));
        assertEquals(1, l.column(2));
        assertEquals(0, l.column(3));
        assertEquals(4, l.labeledCount());
        assertArrayEquals(new double[] {0.25, 0.5, 0.25}, l.classPriors(), 1e-12);
    }
}
