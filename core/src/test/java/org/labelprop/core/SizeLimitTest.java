package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Past Java's 2^31-element array limit the error names the size and the way out, never an overflow. */
class SizeLimitTest {
    @Test
    void sizesPastTheArrayLimitAreRefusedBeforeAllocating() {
        assertEquals(2_000_000_000, FloatMatrix.checkSize(1_000_000, 2000, "matrix"));
        DataException e = assertThrows(DataException.class, () -> FloatMatrix.checkSize(10_000_000, 784, "features"));
        assertTrue(e.getMessage().startsWith("features of 10000000 x 784 = 7840000000 elements exceeds"), e.getMessage());
        assertTrue(e.getMessage().contains("PCA"), e.getMessage());
        // int overflow would make this product negative; the check works in long.
        assertThrows(DataException.class, () -> FloatMatrix.checkSize(300_000_000, 10, "neighbour list"));
    }
}
