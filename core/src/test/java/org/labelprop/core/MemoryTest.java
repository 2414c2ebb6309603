package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void refusesMoreThanTheHeapWithTheBytesNeeded() {
        long tooMuch = Runtime.getRuntime().maxMemory() + (1L << 30);
        DataException e = assertThrows(DataException.class, () -> Memory.require(tooMuch, "kNN graph of 9 x 9"));
        assertTrue(e.getMessage().startsWith("kNN graph of 9 x 9 needs "), e.getMessage());
        assertTrue(e.getMessage().contains("-Xmx<size>"), e.getMessage());
        assertDoesNotThrow(() -> Memory.require(1 << 20, "a megabyte"));
    }
}
