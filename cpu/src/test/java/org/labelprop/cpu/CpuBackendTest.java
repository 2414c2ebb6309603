package org.labelprop.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Prediction;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.backend.TopK;
import org.labelprop.core.backend.PickedRows;
import org.labelprop.core.backend.TwoWayNeighbors;
import org.labelprop.core.search.ExactSearch;
import org.labelprop.core.search.PrunedExactSearch;
import org.labelprop.core.search.KnnSearch;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.PropagationCheck;
import org.labelprop.core.testing.TestData;

/** Both CPU kernel sets against the naive search and the reference backend, on awkward sizes. */
class CpuBackendTest {
    private static final ForkJoinPool POOL = ForkJoinPool.commonPool();
    private static final ReferenceBackend REF = new ReferenceBackend(POOL);
    private static final int K = 10;

    /** Both of the Vector API selection's lane walks (see VectorKernels.maskBits), and the scalar kernels. */
    static Stream<Kernels> kernels() {
        return Stream.of(new VectorKernels(true), new VectorKernels(false), new ScalarKernels());
    }

    static Stream<Arguments> sizes() {
        return kernels().flatMap(kern -> IntStream.of(1, 2, K, K + 1, 1000).boxed()
                .flatMap(n -> IntStream.of(1, 3, 17, 784).mapToObj(d -> Arguments.of(kern, n, d))));
    }

    /**
     * The register blocks (8 x 3 and 8 x 1 on queries packed in panels, 3 x 3 on row-major queries) compute each
     * output as the same ordered sum, so their tiles are bit-identical whatever this machine's vector width
     * (this class also runs with -XX:UseAVX=2, see the pom).
     */
    @ParameterizedTest(name = "d={0}")
    @MethodSource("blockShapes")
    void everyRegisterBlockGivesTheSameTileBitForBit(int d) {
        int w = new VectorKernels().panelWidth();
        Random r = new Random(d);
        for (int qn : new int[] {1, 2, 3, 7, 97}) {
            for (int pn = 1; pn <= 7; pn++) {
                float[] base = new float[pn * w * d];
                float[] q = new float[(qn + 2) * d];
                for (int i = 0; i < base.length; i++) {
                    base[i] = r.nextFloat() - 0.5f;
                }
                for (int i = 0; i < q.length; i++) {
                    q[i] = r.nextFloat() - 0.5f;
                }
                float[] panels = Panels.pack(new FloatMatrix(pn * w, d, base), new VectorKernels(), POOL);
                // The query rows from row 2 on, packed from panel 1 of their array (panel 0 holds other rows).
                float[] qPanels = new float[(Panels.count(qn, w) + 1) * w * d];
                Arrays.fill(qPanels, Float.NaN);
                float[] packed = new float[Panels.count(qn, w) * w * d];
                Panels.packRows(q, d, null, 2, qn, new VectorKernels(), packed);
                System.arraycopy(packed, 0, qPanels, w * d, packed.length);
                int stride = pn * w + 3;
                float[] wide = new float[CpuBackend.roundUp(qn, w) * stride];
                float[] single = new float[wide.length];
                float[] rowMajor = new float[qn * stride];
                VectorKernels.dotTile8x3(qPanels, 1, qn, d, panels, 0, pn, wide, stride);
                VectorKernels.dotTile8x1(qPanels, 1, qn, d, panels, 0, pn, single, stride);
                VectorKernels.dotTile3x3(q, 2, qn, d, panels, 0, pn, rowMajor, stride);
                assertArrayEquals(rowMajor, Arrays.copyOf(wide, qn * stride), "qn=" + qn + " panels=" + pn);
                assertArrayEquals(rowMajor, Arrays.copyOf(single, qn * stride), "qn=" + qn + " panels=" + pn);
                for (int i = 0; i < qn; i++) {
                    for (int j = 0; j < pn * w; j++) {
                        double want = 0;
                        for (int t = 0; t < d; t++) {
                            want += (double) q[(2 + i) * d + t] * base[j * d + t];
                        }
                        assertEquals(want, wide[i * stride + j], 1e-4 * Math.max(1, Math.sqrt(d)),
                                "row " + i + " column " + j);
                    }
                }
            }
        }
    }

    /** The pom's second run limits the JIT to AVX2: there the kernels must take 256-bit vectors (3 x 3). */
    @Test
    void theAvx2RunTakesTheNarrowPath() {
        boolean avx2 = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:UseAVX=2");
        org.junit.jupiter.api.Assumptions.assumeTrue(avx2, "not the -XX:UseAVX=2 run");
        assertEquals(8, new VectorKernels().panelWidth());
        assertEquals(3, new VectorKernels().panelGroup());
        assertFalse(new VectorKernels().queriesInPanels());
    }

    /**
     * nearestWithin's lists are nearest's lists with the entries past each query's ceiling replaced by -1 and
     * +infinity: the ceilings (infinite, between neighbours, below the first) only prune.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void searchWithinCeilingsIsTheFullListCutAtTheCeiling(Kernels kernels) {
        int n = 700;
        int d = 33;
        FloatMatrix base = TestData.gaussian(n, d, 5);
        FloatMatrix queries = TestData.gaussian(301, d, 6);
        CpuBackend backend = new CpuBackend(POOL, kernels);
        Neighbors full = backend.nearest(base, queries, K, false, Progress.NONE);
        float[] ceilings = randomCeilings(full, 7);
        // The queries named by index among more rows, in a scrambled order: query q is row picked[q].
        FloatMatrix rows = TestData.gaussian(900, d, 8);
        int[] picked = new int[queries.rows()];
        for (int q = 0; q < picked.length; q++) {
            picked[q] = (q * 577 + 31) % rows.rows();
            System.arraycopy(queries.data(), q * d, rows.data(), picked[q] * d, d);
        }
        Neighbors within = backend.nearestWithin(base, new PickedRows(rows, picked, rows.squaredNorms()), K, ceilings,
                Progress.NONE);
        for (int q = 0; q < ceilings.length; q++) {
            for (int j = 0; j < K; j++) {
                boolean kept = full.distance(q, j) <= ceilings[q];
                assertEquals(kept ? full.neighbor(q, j) : -1, within.neighbor(q, j), "query " + q + " place " + j);
                assertEquals(kept ? full.distance(q, j) : Float.POSITIVE_INFINITY, within.distance(q, j));
            }
        }
        // Without ceilings (none given), the gathered queries' lists are nearest's, bit for bit.
        Neighbors all = backend.nearestWithin(base, new PickedRows(rows, picked, rows.squaredNorms()), K, null,
                Progress.NONE);
        for (int q = 0; q < ceilings.length; q++) {
            for (int j = 0; j < K; j++) {
                assertEquals(full.neighbor(q, j), all.neighbor(q, j), "query " + q + " place " + j);
                assertEquals(full.distance(q, j), all.distance(q, j), 0f, "query " + q + " place " + j);
            }
        }
    }

    /**
     * A two-way search returns on its query side what nearestWithin returns, and on its base side what
     * nearestWithin returns with the roles swapped (the base rows as queries among the picked rows), bit for bit:
     * each tile's columns give the same floats as a search from the other side, under either side's ceilings.
     * Its base rows are picked from a larger matrix and packed from there; the searches it is compared with get
     * them copied. 301 queries are four query blocks, so the base rows' lists are filled from two threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void twoWaySearchIsTheSearchFromEachSide(Kernels kernels) {
        int d = 33;
        FloatMatrix baseSource = TestData.gaussian(600, d, 15);
        int[] baseRows = IntStream.range(0, 290).map(b -> (b * 211 + 7) % baseSource.rows()).toArray();
        FloatMatrix base = baseSource.selectRows(baseRows);
        FloatMatrix rows = TestData.gaussian(900, d, 16);
        int[] picked = IntStream.range(0, 301).map(q -> (q * 577 + 31) % rows.rows()).toArray();
        int[] allBase = IntStream.range(0, base.rows()).toArray();
        FloatMatrix pickedRows = rows.selectRows(picked);
        CpuBackend backend = new CpuBackend(POOL, kernels);
        float[] noQueryCeiling = infinities(picked.length);
        float[] noBaseCeiling = infinities(base.rows());
        PickedRows queries = new PickedRows(rows, picked, rows.squaredNorms());
        PickedRows baseAsQueries = new PickedRows(base, allBase, base.squaredNorms());
        Neighbors fromQueries = backend.nearestWithin(base, queries, K, noQueryCeiling, Progress.NONE);
        Neighbors fromBase = backend.nearestWithin(pickedRows, baseAsQueries, K, noBaseCeiling, Progress.NONE);
        float[][] ceilings = {randomCeilings(fromQueries, 9), randomCeilings(fromBase, 10)};
        // Null ceilings are none, as infinite ones are.
        for (float[][] qb : new float[][][] {{noQueryCeiling, noBaseCeiling}, {ceilings[0], noBaseCeiling},
                {noQueryCeiling, ceilings[1]}, {null, null}}) {
            TwoWayNeighbors both = backend.nearestBothWays(
                    new PickedRows(baseSource, baseRows, baseSource.squaredNorms()), queries, K, qb[0], qb[1]);
            Neighbors querySide = backend.nearestWithin(base, queries, K, qb[0], Progress.NONE);
            assertArrayEquals(querySide.index(), both.ofQueries().index());
            assertArrayEquals(querySide.distance(), both.ofQueries().distance());
            Neighbors baseSide = backend.nearestWithin(pickedRows, baseAsQueries, K, qb[1], Progress.NONE);
            assertArrayEquals(baseSide.index(), both.ofBase().index());
            assertArrayEquals(baseSide.distance(), both.ofBase().distance());
        }
    }

    private static float[] infinities(int n) {
        float[] out = new float[n];
        Arrays.fill(out, Float.POSITIVE_INFINITY);
        return out;
    }

    /** Per row of a full list: infinite, one of its distances, or half its first (below every entry). */
    private static float[] randomCeilings(Neighbors full, long seed) {
        Random r = new Random(seed);
        float[] out = new float[full.rows()];
        for (int q = 0; q < out.length; q++) {
            int pick = r.nextInt(K + 2);
            out[q] = pick == K + 1 ? Float.POSITIVE_INFINITY : pick == K ? full.distance(q, 0) / 2
                    : full.distance(q, pick);
        }
        return out;
    }

    /** Rows, features and query blocks per task (set through the L2 size the backend is given). */
    static Stream<Arguments> selfJoinSizes() {
        return kernels().flatMap(kern -> Stream.of(new int[] {385, 3, 1}, new int[] {385, 3, 2},
                new int[] {1000, 17, 1}, new int[] {1000, 17, 2}, new int[] {2001, 5, 1}, new int[] {2001, 5, 3},
                new int[] {2001, 5, 4}, new int[] {500, 784, 1}, new int[] {500, 784, 2}, new int[] {500, 784, 3})
                .map(ndg -> Arguments.of(kern, ndg[0], ndg[1], ndg[2])));
    }

    /**
     * The self-join (each pair's dot product once, used when the queries are the base) selects exactly what
     * the full search selects: same neighbours, same float distances, for both kernel sets, on one thread and
     * on two (heaps filled in a different order), with one or several query blocks per task. 385 and 2001 rows
     * leave a partial last block, 1000 rows in pairs of blocks and 2001 in fours a partial last group.
     */
    @ParameterizedTest(name = "{0} n={1} d={2} group={3}")
    @MethodSource("selfJoinSizes")
    void selfJoinEqualsTheFullSearch(Kernels kernels, int n, int d, int group) {
        FloatMatrix x = TestData.gaussian(n, d, 5L * n + d);
        FloatMatrix copy = new FloatMatrix(n, d, x.data().clone());
        long l2 = (long) Math.ceil(group * 4.0 * CpuBackend.SELF_BLOCK * d / CpuBackend.SELF_GROUP_L2_SHARE) + 16;
        CpuBackend backend = new CpuBackend(new ForkJoinPool(n < 800 ? 1 : 2), kernels, l2);
        try {
            assertTrue(backend.selfJoins(n));
            assertEquals(group, backend.selfJoinGroup(n, d));
            Neighbors joined = backend.nearest(x, x, K, true, Progress.NONE);
            Neighbors full = backend.nearest(x, copy, K, true, Progress.NONE);
            assertArrayEquals(full.index(), joined.index());
            assertArrayEquals(full.distance(), joined.distance());
        } finally {
            backend.workers().shutdown();
        }
    }

    /**
     * pairsWithin on the self-join's tiles keeps what the plain all-pairs loop keeps, on every grouping and both kernel
     * sets, with each row's ceiling halfway between two of its distances (a random rank), so that no pair lies within
     * float rounding of a ceiling; the distances agree to rounding.
     */
    @ParameterizedTest(name = "{0} n={1} d={2} group={3}")
    @MethodSource("selfJoinSizes")
    void pairsWithinIsThePlainLoopsList(Kernels kernels, int n, int d, int group) {
        assertPairsWithinIsThePlainLoopsList(kernels, TestData.gaussian(n, d, 7L * n + d), group);
    }

    /**
     * The same on rows sorted by a first feature 30 times wider than the others, where most tiles lie apart in it and
     * are skipped (checked: BlockSpans finds such tiles), the lists unchanged.
     */
    @ParameterizedTest(name = "{0} n={1} d={2} group={3}")
    @MethodSource("selfJoinSizes")
    void pairsWithinSkipsTilesApartInTheFirstFeature(Kernels kernels, int n, int d, int group) {
        FloatMatrix g = TestData.gaussian(n, d, 9L * n + d);
        float[] x = g.data();
        for (int i = 0; i < n; i++) {
            x[i * d] *= 30;
        }
        int[] order = IntStream.range(0, n).boxed().sorted(java.util.Comparator.comparingDouble(i -> x[i * d]))
                .mapToInt(Integer::intValue).toArray();
        FloatMatrix sorted = g.selectRows(order);
        float[] ceilings = assertPairsWithinIsThePlainLoopsList(kernels, sorted, group);
        CpuBackend.BlockSpans spans = CpuBackend.BlockSpans.of(sorted, ceilings);
        int blocks = Panels.count(n, CpuBackend.SELF_BLOCK);
        long apart = IntStream.range(0, blocks).mapToLong(bi -> IntStream.range(bi, blocks)
                .filter(bj -> spans.apart(bi, bj)).count()).sum();
        assertTrue(apart > 0 || blocks < 3, "no tile apart among " + blocks + " blocks");
    }

    /**
     * The same where only the second feature can rule tiles out: the first two features 30 times wider than the
     * others, rows in two halves by the first and each half sorted by the second, so blocks of one half overlap in the
     * first feature and the tiles skipped there are skipped for the second (checked on 2,001 rows), the lists
     * unchanged.
     */
    @ParameterizedTest(name = "{0} n={1} d={2} group={3}")
    @MethodSource("selfJoinSizes")
    void pairsWithinSkipsTilesApartInTheSecondFeature(Kernels kernels, int n, int d, int group) {
        if (d < 2) {
            return;
        }
        FloatMatrix g = TestData.gaussian(n, d, 11L * n + d);
        float[] x = g.data();
        for (int i = 0; i < n; i++) {
            x[i * d] *= 30;
            x[i * d + 1] *= 30;
        }
        int[] byFirst = IntStream.range(0, n).boxed().sorted(java.util.Comparator.comparingDouble(i -> x[i * d]))
                .mapToInt(Integer::intValue).toArray();
        int half = n / 2;
        int[] order = IntStream.concat(
                IntStream.of(java.util.Arrays.copyOfRange(byFirst, 0, half)).boxed()
                        .sorted(java.util.Comparator.comparingDouble(i -> x[i * d + 1])).mapToInt(Integer::intValue),
                IntStream.of(java.util.Arrays.copyOfRange(byFirst, half, n)).boxed()
                        .sorted(java.util.Comparator.comparingDouble(i -> x[i * d + 1])).mapToInt(Integer::intValue))
                .toArray();
        FloatMatrix sorted = g.selectRows(order);
        float[] ceilings = assertPairsWithinIsThePlainLoopsList(kernels, sorted, group);
        CpuBackend.BlockSpans spans = CpuBackend.BlockSpans.of(sorted, ceilings);
        int blocks = Panels.count(n, CpuBackend.SELF_BLOCK);
        int firstHalfBlocks = half / CpuBackend.SELF_BLOCK;
        long apart = IntStream.range(0, firstHalfBlocks).mapToLong(bi -> IntStream.range(bi, firstHalfBlocks)
                .filter(bj -> spans.apart(bi, bj)).count()).sum();
        // With fewer blocks a half's end blocks lie too close for its tail rows' ceilings (2,001 rows: ten blocks).
        assertTrue(apart > 0 || firstHalfBlocks < 8, "no tile apart among the first half's " + firstHalfBlocks
                + " blocks of " + blocks);
    }

    /** pairsWithin against the plain loop; returns the ceilings it drew. */
    private static float[] assertPairsWithinIsThePlainLoopsList(Kernels kernels, FloatMatrix x, int group) {
        int n = x.rows();
        int d = x.cols();
        long l2 = (long) Math.ceil(group * 4.0 * CpuBackend.SELF_BLOCK * d / CpuBackend.SELF_GROUP_L2_SHARE) + 16;
        CpuBackend backend = new CpuBackend(new ForkJoinPool(n < 800 ? 1 : 2), kernels, l2);
        try {
            // The tiles' |a|^2 - 2 a.b + |b|^2 form rounds relative to the rows' squared norms: each ceiling lies
            // halfway between two of its row's distances farther apart than that.
            float[] norms = x.squaredNorms(POOL);
            float maxNorm = 0;
            for (float v : norms) {
                maxNorm = Math.max(maxNorm, v);
            }
            Random r = new Random(n + d);
            float[] ceilings = new float[n];
            for (int i = 0; i < n; i++) {
                double[] dist = new double[n];
                for (int j = 0; j < n; j++) {
                    dist[j] = x.squaredDistance(i, x, j);
                }
                Arrays.sort(dist);
                // dist[0] is the row itself; rank 0 means no pairs at all.
                int rank = r.nextInt(Math.min(n, 60));
                double apart = 1e-4 * (1 + norms[i] + maxNorm);
                while (rank > 0 && rank + 1 < n && dist[rank + 1] - dist[rank] <= apart) {
                    rank++;
                }
                ceilings[i] = rank == 0 ? -1f : (float) ((dist[rank] + dist[Math.min(rank + 1, n - 1)]) / 2);
            }
            CsrGraph want = REF.pairsWithin(x, ceilings);
            CsrGraph got = backend.pairsWithin(x, ceilings);
            assertTrue(want.edges() > n, "the ceilings keep " + want.edges() + " pairs");
            assertArrayEquals(want.rowPtr(), got.rowPtr());
            assertArrayEquals(want.col(), got.col());
            for (int i = 0; i < n; i++) {
                for (int e = want.rowPtr()[i]; e < want.rowPtr()[i + 1]; e++) {
                    double scale = 1 + norms[i] + norms[want.col()[e]];
                    assertEquals(want.weight()[e], got.weight()[e], 1e-5 * scale, "row " + i + ", edge " + e);
                }
            }
            return ceilings;
        } finally {
            backend.workers().shutdown();
        }
    }

    /**
     * On 20,000 rows of 256 features near a 12-dimensional subspace, the cpu backend's tiles carry the pruned search,
     * and its lists are the reference backend's, checked on 200 rows spread over the data; at that size the exact
     * search itself would still take all pairs (below PrunedExactSearch.MIN_WORK).
     */
    @Test
    void thePrunedSearchOnTheTilesKeepsTheReferenceLists() {
        FloatMatrix x = TestData.lowRank(20_000, PrunedExactSearch.MIN_FEATURES, 12, 0.3f, 3f, false, 11);
        Backend cpu = new CpuBackend(POOL, new VectorKernels());
        assertTrue(PrunedExactSearch.search(cpu, x, K, Progress.NONE) == null, "below the work that pays");
        Neighbors pruned = PrunedExactSearch.searchAnySize(cpu, x, K, Progress.NONE);
        assertTrue(pruned != null, "the bound should pay here");
        int[] sample = IntStream.range(0, 200).map(s -> s * 100 + s % 97).toArray();
        Neighbors ref = REF.nearest(x, x.selectRows(sample), K + 1, false, Progress.NONE);
        for (int s = 0; s < sample.length; s++) {
            int i = sample[s];
            int o = 0;
            for (int j = 0; j < K + 1 && o < K; j++) {
                if (ref.neighbor(s, j) == i) {
                    continue;
                }
                assertEquals(ref.neighbor(s, j), pruned.neighbor(i, o), "row " + i + ", place " + o);
                assertEquals(ref.distance(s, j), pruned.distance(i, o), "row " + i + ", place " + o);
                o++;
            }
        }
    }

    /** The query group by L2 size at Fashion-MNIST's 784 features, capped for balance and at four blocks. */
    @Test
    void selfJoinGroupsFollowTheL2() {
        ForkJoinPool two = new ForkJoinPool(2);
        try {
            int rows = 70_000;
            assertEquals(1, new CpuBackend(two, new ScalarKernels(), 512L << 10).selfJoinGroup(rows, 784));
            assertEquals(2, new CpuBackend(two, new ScalarKernels(), 1L << 20).selfJoinGroup(rows, 784));
            assertEquals(4, new CpuBackend(two, new ScalarKernels(), 2L << 20).selfJoinGroup(rows, 784));
            assertEquals(4, new CpuBackend(two, new ScalarKernels(), 32L << 20).selfJoinGroup(rows, 784));
            assertEquals(1, new CpuBackend(two, new ScalarKernels(), 2L << 20).selfJoinGroup(rows, 200_000));
            // 2001 rows are 21 blocks: two tasks per thread allow five blocks a task; 800 rows (9 blocks) two.
            assertEquals(4, new CpuBackend(two, new ScalarKernels(), 32L << 20).selfJoinGroup(2001, 5));
            assertEquals(2, new CpuBackend(two, new ScalarKernels(), 32L << 20).selfJoinGroup(800, 5));
        } finally {
            two.shutdown();
        }
    }

    /**
     * Each kernel's panels are the scalar definition's ({@link Panels#packPanel}), picked rows and partial panels
     * included; packing into a used array writes what packing into a new one does, padding lanes included.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void panelsAreTheDefinitionsAndPackIntoUsedArrays(Kernels kern) {
        int w = kern.panelWidth();
        for (int d : new int[] {1, 17, 784}) {
            for (int rows : new int[] {1, w - 1, w, 3 * w + 5}) {
                FloatMatrix x = TestData.gaussian(rows, d, 31L * rows + d);
                float[] want = Panels.pack(x, kern, POOL);
                assertEquals(Panels.size(rows, d, w), want.length);
                float[] scalar = new float[want.length];
                for (int p = 0; p < Panels.count(rows, w); p++) {
                    Panels.packPanel(x.data(), d, null, 0, rows, w, scalar, p);
                }
                assertArrayEquals(scalar, want, "d=" + d + " rows=" + rows);
                int[] picked = IntStream.range(0, rows).map(i -> rows - 1 - i).toArray();
                float[] reversed = new float[want.length];
                float[] reversedScalar = new float[want.length];
                Panels.packRows(x.data(), d, picked, 0, rows, kern, reversed);
                for (int p = 0; p < Panels.count(rows, w); p++) {
                    Panels.packPanel(x.data(), d, picked, 0, rows, w, reversedScalar, p);
                }
                assertArrayEquals(reversedScalar, reversed, "picked, d=" + d + " rows=" + rows);
                float[] used = new float[want.length + 3];
                java.util.Arrays.fill(used, Float.NaN);
                assertTrue(used == Panels.pack(x, kern, POOL, used), "packs into the given array");
                assertArrayEquals(want, java.util.Arrays.copyOf(used, want.length), "d=" + d + " rows=" + rows);
                assertTrue(Float.isNaN(used[want.length]), "past the size nothing is written");
                assertTrue(want != Panels.pack(x, kern, POOL, new float[want.length - 1]), "too small: a new array");
            }
        }
    }

    /**
     * A backend packs each search's base into the array of the one before (see CpuBackend.spareBase): a run
     * of searches of different sizes and shapes on one backend selects what each selects on a new backend.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void searchesAfterOthersEqualSearchesOnANewBackend(Kernels kernels) {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            CpuBackend reused = new CpuBackend(pool, kernels);
            int[][] shapes = {{1000, 17}, {385, 3}, {2001, 5}, {301, 17}, {1000, 17}};
            for (int[] nd : shapes) {
                FloatMatrix x = TestData.gaussian(nd[0], nd[1], 3L * nd[0] + nd[1]);
                FloatMatrix queries = TestData.gaussian(97, nd[1], nd[0]);
                CpuBackend fresh = new CpuBackend(pool, kernels);
                assertSameSearch(fresh.nearest(x, x, K, true, Progress.NONE), reused.nearest(x, x, K, true, Progress.NONE));
                assertSameSearch(new CpuBackend(pool, kernels).nearest(x, queries, K, false, Progress.NONE),
                        reused.nearest(x, queries, K, false, Progress.NONE));
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * auto runs searches on the scalar kernels until they would exceed the small-work budget, then on the
     * Vector API for good (distances differ in the last bits between the two, so each is recognised by
     * bit-equality with a backend of one kernel set).
     */
    @Test
    void theFirstSmallSearchesRunOnTheScalarKernelsThenTheVectorApiForGood() {
        FloatMatrix small = TestData.gaussian(300, 9, 4);
        FloatMatrix large = TestData.gaussian(2000, 100, 5);
        assertTrue(300L * 300 * 9 < CpuBackend.SMALL_KNN_WORK && 2000L * 2000 * 100 > CpuBackend.SMALL_KNN_WORK);
        Backend auto = CpuBackendProvider.create(POOL, note -> { }, "auto");
        CpuBackend scalar = new CpuBackend(POOL, new ScalarKernels());
        CpuBackend vector = new CpuBackend(POOL, new VectorKernels());
        assertFalse(java.util.Arrays.equals(scalar.nearest(small, small, K, true, Progress.NONE).distance(),
                vector.nearest(small, small, K, true, Progress.NONE).distance()), "the kernel sets must be told apart");
        assertSameSearch(scalar.nearest(small, small, K, true, Progress.NONE), auto.nearest(small, small, K, true,
                Progress.NONE));
        assertSameSearch(vector.nearest(large, large, K, true, Progress.NONE), auto.nearest(large, large, K, true,
                Progress.NONE));
        assertSameSearch(vector.nearest(small, small, K, true, Progress.NONE), auto.nearest(small, small, K, true,
                Progress.NONE));
    }

    /** The row loops of a search's re-measure follow the same budget: plain while small, then SIMD for good. */
    @Test
    void smallReMeasuresRunOnThePlainRowLoopsThenTheVectorApiForGood() {
        Backend auto = CpuBackendProvider.create(POOL, note -> { }, "auto");
        assertTrue(auto.rowKernels() instanceof VectorKernels);
        assertSame(RowKernels.PLAIN, auto.rowKernels(1797L * 11 * 64));
        assertSame(RowKernels.PLAIN, auto.rowKernels(CpuBackend.SMALL_KNN_WORK / 2));
        assertTrue(auto.rowKernels(CpuBackend.SMALL_KNN_WORK) instanceof VectorKernels, "more than is left");
        assertTrue(auto.rowKernels(1) instanceof VectorKernels, "the budget is spent");
        assertTrue(new CpuBackend(POOL, new VectorKernels()).rowKernels(1) instanceof VectorKernels,
                "a backend of one kernel set has no budget");
    }

    private static void assertSameSearch(Neighbors want, Neighbors got) {
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.distance(), got.distance());
    }

    static IntStream blockShapes() {
        return IntStream.of(1, 3, 17, 784);
    }

    @ParameterizedTest(name = "{0} n={1} d={2}")
    @MethodSource("sizes")
    void exactGraphMatchesNaiveAllPairs(Kernels kernels, int n, int d) {
        FloatMatrix x = TestData.gaussian(n, d, 17L * n + d);
        Neighbors nb = KnnSearch.neighbors(new CpuBackend(POOL, kernels), x, K, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE, Progress.NONE);
        assertEquals(Math.min(K, n - 1), nb.k());
        KnnAssertions.assertMatchesNaive(x, nb, true);
    }

    @Test
    void vectorKernelsRunWhenTheModuleIsPresent() {
        // Surefire adds jdk.incubator.vector and runs with C2, so the provider must pick the SIMD kernels.
        java.util.List<String> notes = new java.util.ArrayList<>();
        assertTrue(CpuBackendProvider.kernels("auto", notes::add) instanceof VectorKernels, notes.toString());
        assertTrue(notes.isEmpty(), notes.toString());
        assertTrue(CpuBackendProvider.kernels("scalar", notes::add) instanceof ScalarKernels);
        assertThrows(org.labelprop.core.InvalidOptionException.class,
                () -> CpuBackendProvider.kernels("fast", notes::add));
    }

    @Test
    void theExplicitKernelChoiceDecidesWithoutTheProperty() {
        java.util.List<String> notes = new java.util.ArrayList<>();
        assertEquals("cpu: " + new ScalarKernels().description() + ", " + POOL.getParallelism() + " threads",
                CpuBackendProvider.create(POOL, notes::add, "scalar").description());
        assertTrue(CpuBackendProvider.create(POOL, notes::add, "auto").description()
                .contains(new VectorKernels().description()));
        assertThrows(org.labelprop.core.InvalidOptionException.class,
                () -> CpuBackendProvider.create(POOL, notes::add, "fast"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scalar", "auto"})
    void theTopKRowSelectorKeepsWhatOfferingEveryCandidateKeeps(String choice) {
        TopKRowSelector selector = TopKRowSelector.create(choice, note -> { });
        Random r = new Random(5);
        int count = 207;
        float[] dots = new float[3 + count];
        float[] bNorm = new float[4 + count];
        for (int j = 0; j < dots.length; j++) {
            dots[j] = 10f + 5f * r.nextFloat();
        }
        for (int j = 0; j < bNorm.length; j++) {
            bNorm[j] = 20f + r.nextFloat();
        }
        TopK want = new TopK(K);
        for (int j = 0; j < count; j++) {
            if (4 + j != 9) {
                want.offer(Math.max(0f, 21f + bNorm[4 + j] - 2f * dots[3 + j]), 4 + j);
            }
        }
        TopK got = new TopK(K);
        selector.select(dots, 3, count, 21f, bNorm, 4, 9, got);
        int[] wantIndex = new int[K];
        int[] gotIndex = new int[K];
        want.drainSorted(wantIndex, new float[K], 0);
        got.drainSorted(gotIndex, new float[K], 0);
        assertArrayEquals(wantIndex, gotIndex, selector.description());
    }

    @Test
    void queryAgainstAnotherSetMatchesReference() {
        FloatMatrix base = TestData.blobs(5, 80, 33, 1f, 4);
        FloatMatrix queries = TestData.gaussian(37, 33, 5);
        for (Kernels kern : kernels().toArray(Kernels[]::new)) {
            Neighbors got = KnnSearch.query(new CpuBackend(POOL, kern), base, queries, 7, Metric.COSINE, Progress.NONE);
            Neighbors want = KnnSearch.query(REF, base, queries, 7, Metric.COSINE, Progress.NONE);
            assertArrayEquals(want.index(), got.index(), kern.description());
            assertArrayEquals(want.distance(), got.distance(), 1e-6f);
        }
    }

    @Test
    void dotTileEqualsPlainDotProducts() {
        Random r = new Random(9);
        for (Kernels kern : kernels().toArray(Kernels[]::new)) {
            int w = kern.panelWidth();
            for (int d : new int[] {1, 17, 784}) {
                // 13 query rows (an 8-row block and a part of one) against 3 panels.
                FloatMatrix q = TestData.gaussian(14, d, d);
                FloatMatrix base = TestData.gaussian(3 * w - 5, d, d + 1);
                float[] panels = Panels.pack(base, kern, POOL);
                int stride = 3 * w + 2;
                float[] out = new float[CpuBackend.roundUp(13, w) * stride];
                if (kern.queriesInPanels()) {
                    float[] qPanels = new float[Panels.count(13, w) * w * d];
                    Panels.packRows(q.data(), d, null, 1, 13, kern, qPanels);
                    kern.dotTile(qPanels, 0, 13, d, panels, 0, 3, out, stride);
                } else {
                    kern.dotTile(q.data(), 1, 13, d, panels, 0, 3, out, stride);
                }
                for (int i = 0; i < 13; i++) {
                    for (int j = 0; j < base.rows(); j++) {
                        double want = 0;
                        for (int t = 0; t < d; t++) {
                            want += (double) q.get(1 + i, t) * base.get(j, t);
                        }
                        assertEquals(want, out[i * stride + j], 1e-4 * Math.max(1, Math.abs(want)),
                                kern.description() + " d=" + d + " (" + i + "," + j + ")");
                    }
                }
            }
        }
    }

    static Stream<Arguments> propagationCases() {
        // One, two, and three or more vectors per padded row, on 512-bit and (the AVX2 rerun) 256-bit vectors.
        return kernels().flatMap(kern -> IntStream.of(1, 3, 8, 10, 17, 33).mapToObj(c -> Arguments.of(kern, c)));
    }

    @ParameterizedTest(name = "{0} classes={1}")
    @MethodSource("propagationCases")
    void propagationStepsEqualReference(Kernels kernels, int classes) {
        Backend cpu = new CpuBackend(POOL, kernels);
        PropagationCheck.assertMatchesReference(REF, 9001, classes, cpu::propagator, 1e-5);
    }

    /**
     * Over several of {@link org.labelprop.core.Parallel#ROWS} blocks: the padded copies, the prior rows and the
     * read-back, which run on the pool, give back the start as it was given (its own Y, or the prior itself),
     * and the steps still match the reference.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void propagationOverSeveralRowBlocksReadsBackTheStartAndMatchesReference(Kernels kernels) {
        int n = 3 * org.labelprop.core.Parallel.ROWS + 5;
        int c = 7;
        Backend cpu = new CpuBackend(POOL, kernels);
        CsrGraph g = TestData.randomGraph(n, 4, 9);
        Random r = new Random(9);
        float[] y = new float[n * c];
        float[] y0 = new float[n * c];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
            y0[i] = r.nextInt(50) == 0 ? 1f : 0f;
        }
        StepRule rule = new StepRule(0.9f, 0.1f, null, false);
        for (float[] start : new float[][] {y, y0}) {
            try (Propagator p = cpu.propagator(g, new PropagationState(n, c, start, y0), rule)) {
                float[] out = new float[n * c];
                p.read(out);
                assertArrayEquals(start, out);
            }
        }
        PropagationCheck.assertMatchesReference(REF, n, 10, cpu::propagator, 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void poissonLearningEqualsReference(Kernels kernels) {
        // 40,000 rows: past Iteration.REORDER_MIN_ROWS, so the reordered path is compared too.
        int n = 40_000;
        CsrGraph g = TestData.randomGraph(n, 10, 3);
        Labels labels = Labels.of(TestData.fewLabels(n, 10, 2), "labels");
        PoissonLearning.Options o = PoissonLearning.Options.defaults();
        Prediction want = PoissonLearning.fit(REF, g, labels, o, Progress.NONE).prediction();
        Prediction got = PoissonLearning.fit(new CpuBackend(POOL, kernels), g, labels, o, Progress.NONE).prediction();
        for (int i = 0; i < want.distribution().length; i++) {
            assertEquals(want.distribution()[i], got.distribution()[i], 1e-4, "entry " + i);
        }
    }

    @ParameterizedTest(name = "d={0} classes={1}")
    @MethodSource("linearShapes")
    void linearKernelsMatchTheScalarOnes(int d, int classes) {
        java.util.Random r = new java.util.Random(31L * d + classes);
        float[] x = new float[3 + d];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) r.nextGaussian();
        }
        double[] w = new double[classes * d];
        double[] b = new double[classes];
        double[] rk = new double[classes];
        for (int q = 0; q < w.length; q++) {
            w[q] = r.nextGaussian();
        }
        for (int k = 0; k < classes; k++) {
            b[k] = r.nextGaussian();
            rk[k] = k % 3 == 1 ? 0 : r.nextGaussian();
        }
        org.labelprop.core.backend.RowKernels vector = new VectorKernels();
        org.labelprop.core.backend.RowKernels scalar = org.labelprop.core.backend.RowKernels.PLAIN;
        double[] want = new double[classes];
        double[] got = new double[classes];
        scalar.linearScores(x, 3, d, w, b, want);
        vector.linearScores(x, 3, d, w, b, got);
        for (int k = 0; k < classes; k++) {
            assertEquals(want[k], got[k], 1e-12 * (1 + d), "score of class " + k);
        }
        double[] gWant = w.clone();
        double[] gGot = w.clone();
        scalar.addScaledRow(gWant, rk, x, 3, d);
        vector.addScaledRow(gGot, rk, x, 3, d);
        assertArrayEquals(gWant, gGot, 1e-12);
    }

    /** The refinement's distances: the vector loop gives the plain definition's bits, tails and odd k included. */
    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1, 7, 8, 9, 17, 64, 784, 785})
    void exactDistancesAreTheDefinitionBitForBit(int d) {
        java.util.Random r = new java.util.Random(d);
        float[] base = randomRows(r, 40, d, true);
        float[] q = randomRows(r, 1, 5 + d, false);
        int[] index = r.ints(3 + 11, 0, 40).toArray();
        for (int k : new int[] {1, 2, 11}) {
            double[] got = new double[k];
            new VectorKernels().exactSquaredDistances(q, 5, base, index, 3, k, d, got);
            for (int j = 0; j < k; j++) {
                double want = FloatMatrix.exactSquaredDistance(q, 5, base, index[3 + j] * d, d);
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[j]),
                        "k=" + k + " candidate " + j + ": " + want + " against " + got[j]);
            }
        }
    }

    /**
     * The pruned search's candidate distances: four rows at a time give each row's squaredDistance bits, tails and
     * counts that are not a multiple of four included (as RowKernels.squaredDistances promises).
     */
    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1, 7, 8, 9, 17, 64, 784, 785})
    void candidateDistancesAreTheOneRowLoopsBitForBit(int d) {
        java.util.Random r = new java.util.Random(d + 1);
        float[] base = randomRows(r, 40, d, true);
        float[] q = randomRows(r, 1, 5 + d, false);
        int[] index = r.ints(3 + 11, 0, 40).toArray();
        VectorKernels kernels = new VectorKernels();
        for (int count : new int[] {0, 1, 4, 5, 11}) {
            float[] got = new float[count];
            kernels.squaredDistances(q, 5, base, index, 3, count, d, got);
            for (int j = 0; j < count; j++) {
                float want = kernels.squaredDistance(q, 5, base, index[3 + j] * d, d);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[j]),
                        "count=" + count + " candidate " + j + ": " + want + " against " + got[j]);
            }
        }
    }

    /** n x d floats for the distance loops: standard normal, or with {@code wide} of magnitudes from e^-8 to e^8. */
    private static float[] randomRows(java.util.Random r, int n, int d, boolean wide) {
        float[] x = new float[n * d];
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) (wide ? r.nextGaussian() * Math.exp(4 * r.nextGaussian()) : r.nextGaussian());
        }
        return x;
    }

    static Stream<Arguments> linearShapes() {
        return IntStream.of(1, 7, 17, 784).boxed().flatMap(d -> IntStream.of(1, 3, 10).mapToObj(c -> Arguments.of(d, c)));
    }

    @Test
    void pcaOnTheVectorLoopsMatchesTheReference() {
        FloatMatrix x = TestData.blobs(4, 300, 40, 2f, 8);
        Backend vector = new CpuBackend(POOL, new VectorKernels());
        org.labelprop.core.features.Pca want = org.labelprop.core.features.Pca.fit(REF, x, 5, 3);
        org.labelprop.core.features.Pca got = org.labelprop.core.features.Pca.fit(vector, x, 5, 3);
        for (int j = 0; j < 5; j++) {
            assertEquals(want.variance()[j], got.variance()[j], 1e-6 * want.variance()[j], "variance " + j);
            double dot = 0;
            for (int t = 0; t < 40; t++) {
                dot += (double) want.component(j)[t] * got.component(j)[t];
            }
            assertEquals(1.0, Math.abs(dot), 1e-5, "component " + j);
        }
        FloatMatrix a = want.transform(REF, x);
        FloatMatrix b = want.transform(vector, x);
        for (int e = 0; e < a.data().length; e++) {
            assertEquals(a.data()[e], b.data()[e], 1e-4 * Math.max(1, Math.abs(a.data()[e])), "entry " + e);
        }
    }
}
