package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.testing.TestData;

/**
 * Float32 squared distances as |x|^2 - 2 x.y + |y|^2 overflow near 1e19 and underflow near 1e-20: features at
 * such scales are refused with a line saying so, in every backend, rather than giving a wrong graph.
 */
class FeatureScaleTest {
    @ParameterizedTest
    @ValueSource(floats = {1e19f, 1e-30f})
    void featuresWhoseSquaredDistancesLeaveFloatRangeAreRefused(float scale) {
        FloatMatrix x = TestData.blobs(3, 30, 8, 1f, 5).scaleInPlace(scale);
        // Refused before any backend computes (the cli module's tests run the same on the cpu backend).
        try (Backend backend = Backends.select("reference", ForkJoinPool.commonPool(), note -> { })) {
            DataException e = assertThrows(DataException.class,
                    () -> KnnGraph.build(backend, x, KnnGraph.Options.defaults(), Progress.NONE));
            assertTrue(e.getMessage().contains("scale"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {1e15f, 1e-12f})
    void largeAndSmallButSafeScalesGiveTheSameGraph(float scale) {
        FloatMatrix x = TestData.blobs(3, 30, 8, 1f, 5);
        try (Backend backend = Backends.select("reference", ForkJoinPool.commonPool(), note -> { })) {
            KnnGraph plain = KnnGraph.build(backend, x, KnnGraph.Options.defaults(), Progress.NONE);
            FloatMatrix scaled = new FloatMatrix(x.rows(), x.cols(), x.data().clone()).scaleInPlace(scale);
            KnnGraph big = KnnGraph.build(backend, scaled, KnnGraph.Options.defaults(), Progress.NONE);
            assertEquals(java.util.Arrays.toString(plain.graph().col()), java.util.Arrays.toString(big.graph().col()));
        }
    }

    @org.junit.jupiter.api.Test
    void aGraphTooLargeForTheHeapIsRefusedBeforeTheSearch() {
        // Neighbour lists and edges of twice the heap, below Java's array limit, on any search method.
        long k = 2 * Runtime.getRuntime().maxMemory() / (24L * 200_000) + 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(200_000 * k < Integer.MAX_VALUE, "heap too large for this check");
        FloatMatrix x = new FloatMatrix(200_000, 2, new float[400_000]);
        for (int i = 0; i < x.rows(); i++) {
            x.set(i, 0, i % 1000);
            x.set(i, 1, i / 1000);
        }
        try (Backend backend = Backends.select("reference", ForkJoinPool.commonPool(), note -> { })) {
            for (NeighborSearch search : new NeighborSearch[] {InvertedFile.withDefaults(), NnDescent.withDefaults()}) {
                DataException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(10), () -> assertThrows(DataException.class,
                                () -> KnnGraph.build(backend, x, KnnGraph.Options.defaults().withK((int) k)
                                        .withSearch(search), Progress.NONE)));
                assertTrue(e.getMessage().contains("GiB"), e.getMessage());
            }
        }
    }
}
