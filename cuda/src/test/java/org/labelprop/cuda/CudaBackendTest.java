package org.labelprop.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.data.FashionMnist;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.PropagationCheck;
import org.labelprop.core.testing.TestData;

/**
 * Every GPU kernel against the reference backend on awkward sizes and on real data. Skipped with the reason
 * where no GPU can serve (CI); the backends here never delegate to the CPU, so small inputs reach the kernels.
 */
class CudaBackendTest {
    private static final ForkJoinPool POOL = ForkJoinPool.commonPool();
    private static final ReferenceBackend REF = new ReferenceBackend(POOL);
    private static final int K = 10;
    /** Documented agreement of GPU and reference arithmetic, relative to max(1, |value|). */
    private static final double TOL = 1e-4;

    private CudaDevice device;

    @BeforeEach
    void device() {
        device = GpuAvailability.deviceOrSkip();
    }

    private CudaBackend backend(DeviceKnn.Kernel kernel) {
        return new CudaBackend(device, POOL, note -> { }, false, kernel);
    }

    private CudaBackend backend() {
        return backend(DeviceKnn.Kernel.CUBLAS);
    }

    /** Skips CUBLAS where libcublas did not load (DeviceKnn would quietly run FUSED instead). */
    private void assumeRuns(DeviceKnn.Kernel kernel) {
        Assumptions.assumeTrue(kernel != DeviceKnn.Kernel.CUBLAS || device.cublas() != null, "libcublas did not load");
    }

    static Stream<Arguments> sizes() {
        return Stream.of(DeviceKnn.Kernel.values()).flatMap(kernel -> IntStream.of(1, 2, 7, 31, 33, 129, 1000).boxed()
                .flatMap(n -> IntStream.of(1, 3, 17, 784).mapToObj(d -> Arguments.of(kernel, n, d))));
    }

    @ParameterizedTest(name = "{0} n={1} d={2}")
    @MethodSource("sizes")
    void exactGraphMatchesNaiveAllPairs(DeviceKnn.Kernel kernel, int n, int d) {
        assumeRuns(kernel);
        FloatMatrix x = TestData.gaussian(n, d, 17L * n + d);
        Neighbors nb = KnnSearch.neighbors(backend(kernel), x, K, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        assertEquals(Math.min(K, n - 1), nb.k());
        KnnAssertions.assertMatchesNaive(x, nb, true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeviceKnn.Kernel.class)
    void streamedBaseWithPartialTilesMatchesNaive(DeviceKnn.Kernel kernel) {
        assumeRuns(kernel);
        FloatMatrix x = TestData.gaussian(1000, 33, 5);
        Neighbors nb;
        synchronized (device) {
            device.makeCurrent();
            nb = new DeviceKnn(device, kernel, 96, 130, true).nearest(x, x, K, true, Progress.NONE);
        }
        KnnAssertions.assertMatchesNaive(x, sqrtDistances(nb), true);
    }

    static Stream<Arguments> largeK() {
        return Stream.of(DeviceKnn.Kernel.values()).flatMap(kernel -> IntStream.of(DeviceKnn.FUSED_K_MAX,
                DeviceKnn.FUSED_K_MAX + 1, KernelImages.TOPK_MAX).mapToObj(k -> Arguments.of(kernel, k)));
    }

    /** Distances as the reference computes them, and k at the fused kernel's limit, past it, and the largest. */
    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("largeK")
    void largeKAndRawDistancesMatchReference(DeviceKnn.Kernel kernel, int k) {
        assumeRuns(kernel);
        FloatMatrix x = TestData.blobs(4, 100, 17, 1f, 3);
        Neighbors got = backend(kernel).nearest(x, x, k, true, Progress.NONE);
        Neighbors want = REF.nearest(x, x, k, true, Progress.NONE);
        KnnAssertions.assertMatchesNaive(x, sqrtDistances(got), true);
        for (int i = 0; i < want.distance().length; i++) {
            assertEquals(want.distance()[i], got.distance()[i], TOL * Math.max(1, want.distance()[i]), "entry " + i);
        }
    }

    /**
     * The TF32 pass's promise: the graph is FUSED's bit for bit, on rows it certifies (spread data) and on
     * rows it must hand back (near-duplicates closer than TF32 can tell apart), with a self-join and with
     * queries against another set.
     */
    @Test
    void tf32CandidatesReRankedEqualFp32BitForBit() {
        FloatMatrix spread = TestData.gaussian(3000, 784, 11);
        FloatMatrix nearDuplicates = TestData.blobs(4, 250, 64, 1e-3f, 12);
        FloatMatrix queries = TestData.gaussian(300, 784, 13);
        for (Object[] c : new Object[][] {{spread, spread, true}, {nearDuplicates, nearDuplicates, true},
                {spread, queries, false}}) {
            FloatMatrix base = (FloatMatrix) c[0];
            FloatMatrix q = (FloatMatrix) c[1];
            boolean self = (Boolean) c[2];
            synchronized (device) {
                device.makeCurrent();
                DeviceKnn tf32 = new DeviceKnn(device, DeviceKnn.Kernel.TF32);
                Neighbors got = tf32.nearest(base, q, K, self, Progress.NONE);
                Neighbors want = new DeviceKnn(device, DeviceKnn.Kernel.FUSED).nearest(base, q, K, self, Progress.NONE);
                assertArrayEquals(want.index(), got.index());
                assertArrayEquals(want.distance(), got.distance());
                if (base == nearDuplicates) {
                    assertTrue(tf32.recomputedRows() > 0, "near-duplicates must reach the FP32 fallback");
                }
            }
        }
    }

    /** nearest returns squared distances; KnnAssertions compares euclidean ones. */
    private static Neighbors sqrtDistances(Neighbors nb) {
        float[] d = nb.distance().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sqrt(d[i]);
        }
        return new Neighbors(nb.rows(), nb.k(), nb.index(), d);
    }

    @Test
    void queryAgainstAnotherSetMatchesReference() {
        FloatMatrix base = TestData.blobs(5, 80, 33, 1f, 4);
        FloatMatrix queries = TestData.gaussian(37, 33, 5);
        Neighbors got = KnnSearch.query(backend(), base, queries, 7, Metric.COSINE, Progress.NONE);
        Neighbors want = KnnSearch.query(REF, base, queries, 7, Metric.COSINE, Progress.NONE);
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.distance(), got.distance(), 1e-5f);
    }

    @Test
    void fashionMnistSubsetMatchesNaive() throws IOException {
        Assumptions.assumeTrue(FashionMnist.isPresent(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        FloatMatrix x = FashionMnist.load(FashionMnist.DEFAULT_DIR, 3000).features();
        for (DeviceKnn.Kernel kernel : DeviceKnn.Kernel.values()) {
            if (kernel != DeviceKnn.Kernel.CUBLAS || device.cublas() != null) {
                Neighbors nb = KnnSearch.neighbors(backend(kernel), x, K, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
                KnnAssertions.assertMatchesNaive(x, nb, true);
            }
        }
    }

    /** Every fused kernel (the slot kernels only up to 16 classes: above, they run as WARP) and cuSPARSE. */
    static Stream<Arguments> propagationCases() {
        Stream<String> paths = Stream.concat(Stream.of(FusedPropagator.Kernel.values()).map(Enum::name),
                Stream.of("cusparse"));
        return paths.flatMap(path -> IntStream.of(1, 2, 7, 1000, 9001).boxed()
                .flatMap(n -> IntStream.of(1, 2, 3, 10, 16, 17, 33, 130, 300).mapToObj(c -> Arguments.of(path, n, c))));
    }

    @ParameterizedTest(name = "{0} n={1} classes={2}")
    @MethodSource("propagationCases")
    void propagationStepsEqualReference(String path, int n, int classes) {
        Assumptions.assumeTrue(!path.equals("cusparse") || device.cusparse() != null, "libcusparse did not load");
        CudaBackend gpu = backend();
        PropagationCheck.assertMatchesReference(REF, n, classes, switch (path) {
            case "cusparse" -> gpu::cusparsePropagator;
            default -> (graph, start, rule) -> {
                synchronized (device) {
                    device.makeCurrent();
                    return new FusedPropagator(device, graph, start, rule, FusedPropagator.Kernel.valueOf(path));
                }
            };
        }, TOL);
    }


    @Test
    void descriptionNamesDeviceDriverAndLibraries() {
        String d = backend().description();
        assertTrue(d.startsWith("cuda: "), d);
        assertTrue(d.contains("driver CUDA"), d);
        assertTrue(d.contains("libcusparse"), d);
        assertTrue(device.cublas() == null ? d.contains("cuBLAS not loaded (") && d.contains("own distance kernel")
                : d.contains("cuBLAS " + Cublas.versionString(device.cublas().version()) + " through "
                        + device.cublas().binding()), d);
    }

    @Test
    void smallProblemsRunOnTheCpuWithTheSameResult() {
        FloatMatrix x = TestData.gaussian(50, 3, 1);
        CudaBackend delegating = new CudaBackend(device, POOL, note -> { }, true, DeviceKnn.Kernel.CUBLAS);
        KnnAssertions.assertMatchesNaive(x, KnnSearch.neighbors(delegating, x, K, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE), true);
    }
}
