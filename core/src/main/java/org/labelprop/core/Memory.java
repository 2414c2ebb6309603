package org.labelprop.core;

/**
 * Checks that a large allocation fits in the heap before it is made, so a job that cannot fit stops at
 * once with the bytes it needs rather than with an OutOfMemoryError deep inside a kernel.
 *
 * <p>Sizes, for planning (n rows, d features, k neighbours, m edges after symmetrization, at most 2nk,
 * C classes): features 4nd; the cpu backend's packed copy of them 4nd; neighbour lists 8nk; graph
 * 12m + 4n; propagation 12nC (Y twice and Y0) plus the normalized weights 4m.
 */
public final class Memory {
    private Memory() {
    }

    /** Bytes the heap can still grow to hold, after a garbage collection hint. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * @param what names the stage in the error, e.g. "kNN graph of 70000 x 784"
     * @throws DataException when {@code bytes} exceeds what the heap has left even after a collection
     */
    public static void require(long bytes, String what) {
        if (bytes <= available()) {
            return;
        }
        System.gc();
        long free = available();
        if (bytes > free) {
            throw new DataException(String.format("%s needs %.2f GiB but the Java heap has %.2f GiB left (max %.2f GiB);"
                            + " raise the maximum heap (java -Xmx<size>) or reduce the data (rows, neighbours k, dimensions)",
                    what, gib(bytes), gib(free), gib(Runtime.getRuntime().maxMemory())));
        }
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
