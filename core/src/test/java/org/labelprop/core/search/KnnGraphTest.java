package org.labelprop.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.ReferenceBackend;
import org.labelprop.core.features.Pca;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Neighbors;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.testing.KnnAssertions;
import org.labelprop.core.testing.TestData;

/** The one graph pipeline honours every option it carries: metric, self-inclusion, search method, PCA, weights. */
class KnnGraphTest {
    private static final ReferenceBackend REF = new ReferenceBackend(ForkJoinPool.commonPool());

    @Test
    void cosineNeighboursAreThoseOfTheAngleNotTheLength() {
        // Rows of very different lengths: euclidean and cosine neighbours disagree.
        FloatMatrix x = TestData.gaussian(120, 6, 3);
        for (int i = 0; i < x.rows(); i++) {
            float scale = 1 + (i % 7) * 3;
            for (int t = 0; t < x.cols(); t++) {
                x.set(i, t, x.get(i, t) * scale);
            }
        }
        KnnGraph.Options cosine = KnnGraph.Options.defaults().withK(5).withMetric(Metric.COSINE);
        Neighbors nb = KnnGraph.build(REF, x, cosine, Progress.NONE).neighbors();
        for (int i = 0; i < x.rows(); i++) {
            double[] d = new double[x.rows()];
            for (int j = 0; j < x.rows(); j++) {
                d[j] = 1 - cos(x, i, j);
            }
            int row = i;
            int[] want = java.util.stream.IntStream.range(0, x.rows()).filter(j -> j != row).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> d[j]).thenComparingInt(j -> j))
                    .limit(5).mapToInt(Integer::intValue).toArray();
            for (int p = 0; p < 5; p++) {
                assertEquals(want[p], nb.neighbor(i, p), "row " + i + " rank " + p);
                assertEquals(d[want[p]], nb.distance(i, p), 1e-5, "row " + i + " rank " + p + " distance 1 - cos");
            }
        }
        Neighbors euclidean = KnnGraph.build(REF, x, cosine.withMetric(Metric.EUCLIDEAN), Progress.NONE).neighbors();
        assertFalse(Arrays.equals(euclidean.index(), nb.index()), "the metric made no difference");
    }

    private static double cos(FloatMatrix x, int i, int j) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int t = 0; t < x.cols(); t++) {
            dot += (double) x.get(i, t) * x.get(j, t);
            ni += (double) x.get(i, t) * x.get(i, t);
            nj += (double) x.get(j, t) * x.get(j, t);
        }
        return dot / Math.sqrt(ni * nj);
    }

    @Test
    void includeSelfPutsEachRowFirstAndKeepsItsSelfLoop() {
        FloatMatrix x = TestData.gaussian(80, 4, 9);
        KnnGraph built = KnnGraph.build(REF, x, KnnGraph.Options.sklearn(6), Progress.NONE);
        Neighbors nb = built.neighbors();
        assertEquals(6, nb.k());
        Neighbors others = KnnSearch.withoutSelf(nb);
        KnnAssertions.assertMatchesNaive(x, others, true);
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(i, nb.neighbor(i, 0));
            assertEquals(0f, nb.distance(i, 0));
            // Binary weights, no symmetrization: scikit-learn's connectivity graph, self-loop included.
            assertEquals(1f, built.graph().weight(i, i));
            assertEquals(6, built.graph().rowPtr()[i + 1] - built.graph().rowPtr()[i]);
        }
        KnnGraph without = KnnGraph.build(REF, x, KnnGraph.Options.sklearn(6).withSelf(false), Progress.NONE);
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(0f, without.graph().weight(i, i));
        }
    }

    @Test
    void theSearchMethodGivenIsTheOneThatRuns() {
        FloatMatrix x = TestData.blobs(4, 150, 8, 1f, 2);
        AtomicInteger calls = new AtomicInteger();
        NeighborSearch counting = new NeighborSearch() {
            @Override
            public Neighbors search(Backend backend, FloatMatrix data, int k, Progress progress) {
                calls.incrementAndGet();
                return ExactSearch.INSTANCE.search(backend, data, k, progress);
            }
        };
        KnnGraph.Options o = KnnGraph.Options.defaults().withK(5);
        KnnGraph exact = KnnGraph.build(REF, x, o, Progress.NONE);
        KnnGraph viaCounting = KnnGraph.build(REF, x, o.withSearch(counting), Progress.NONE);
        assertEquals(1, calls.get());
        assertArrayEquals(exact.neighbors().index(), viaCounting.neighbors().index());
        assertEquals(1.0, exact.recall());
        assertEquals(1.0, viaCounting.recall(), "an approximate method that happens to be exact has recall 1");

        // A deliberately weak NN-Descent (one round from random lists) misses neighbours, and the recall says so.
        NnDescent weak = new NnDescent(new NnDescent.Options(1, 1, 0.3f, 0.01, 0, 0));
        KnnGraph rough = KnnGraph.build(REF, x, o.withSearch(weak).withRecallSample(600), Progress.NONE);
        double truth = KnnAssertions.recall(exact.neighbors(), rough.neighbors());
        assertTrue(truth < 0.9, "the weak search found " + truth + " of the neighbours");
        assertEquals(truth, rough.recall(), 1e-12, "recall estimated on every row");
        assertTrue(Double.isNaN(KnnGraph.build(REF, x, o.withSearch(weak).withRecallSample(0), Progress.NONE).recall()));
    }

    @Test
    void theRecallEstimateIsAStageOfItsOwnAfterTheSearch() {
        FloatMatrix x = TestData.blobs(4, 150, 8, 1f, 2);
        java.util.List<String> events = new java.util.ArrayList<>();
        Progress recording = new Progress() {
            @Override
            public synchronized void start(String stage, long total) {
                events.add("start " + stage);
            }

            @Override
            public void advance(long amount) {
            }

            @Override
            public synchronized void finish() {
                events.add("finish");
            }
        };
        KnnGraph.Options o = KnnGraph.Options.defaults().withK(5).withSearch(InvertedFile.withDefaults());
        KnnGraph.build(REF, x, o, recording);
        assertEquals(4, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("start kNN graph (inverted file"), events.toString());
        assertEquals(java.util.List.of("finish", "start " + KnnGraph.RECALL_STAGE, "finish"), events.subList(1, 4));

        events.clear();
        KnnGraph.build(REF, x, o.withRecallSample(0), recording);
        assertEquals(2, events.size(), "no recall stage when none is estimated: " + events);
    }

    @Test
    void pcaProjectsBeforeTheSearch() {
        FloatMatrix x = TestData.blobs(3, 60, 12, 1f, 4);
        KnnGraph.Options o = KnnGraph.Options.defaults().withK(4).withPca(3).withSeed(5);
        FloatMatrix projected = Pca.fit(REF, x, 3, 5).transform(REF, x);
        Neighbors want = KnnSearch.neighbors(REF, projected, 4, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE,
                Progress.NONE);
        Neighbors got = KnnGraph.build(REF, x, o, Progress.NONE).neighbors();
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.distance(), got.distance());
    }

    @Test
    void whitenedPcaSearchesTheWhitenedCoordinates() {
        FloatMatrix x = TestData.blobs(3, 60, 12, 1f, 4);
        KnnGraph.Options o = KnnGraph.Options.defaults().withK(4).withPca(3).withWhitening(0.25f).withSeed(5);
        FloatMatrix whitened = Pca.fit(REF, x, 3, 5).transform(REF, x, 0.25);
        Neighbors want = KnnSearch.neighbors(REF, whitened, 4, Metric.EUCLIDEAN, false, ExactSearch.INSTANCE,
                Progress.NONE);
        Neighbors got = KnnGraph.build(REF, x, o, Progress.NONE).neighbors();
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.distance(), got.distance());
        InvalidOptionException noPca = assertThrows(InvalidOptionException.class,
                () -> KnnGraph.build(REF, x, o.withPca(0), Progress.NONE));
        assertTrue(noPca.getMessage().contains("whitening"), noPca.getMessage());
        assertThrows(InvalidOptionException.class, () -> o.withWhitening(0.7f));
    }

    @Test
    void weightsAndSymmetrizationAreTheOptions() {
        FloatMatrix x = TestData.gaussian(70, 3, 6);
        KnnGraph.Options o = KnnGraph.Options.defaults().withK(5).withWeights(Weighting.GAUSSIAN, 0.7f,
                Symmetrization.MUTUAL);
        KnnGraph built = KnnGraph.build(REF, x, o, Progress.NONE);
        CsrGraph want = GraphBuilder.fromNeighbors(built.neighbors(), Weighting.GAUSSIAN, 0.7f, Symmetrization.MUTUAL);
        assertArrayEquals(want.rowPtr(), built.graph().rowPtr());
        assertArrayEquals(want.col(), built.graph().col());
        assertArrayEquals(want.weight(), built.graph().weight());
    }
}
