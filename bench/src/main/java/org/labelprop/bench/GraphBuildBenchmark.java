package org.labelprop.bench;

import java.util.concurrent.TimeUnit;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.graph.Neighbors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole graph build, as {@code propagate} runs it: exact kNN search, exact refinement of the chosen
 * distances, self-tuning weights and symmetrization into CSR, on 3,001 rows of 50 dimensions (awkward
 * sizes for every blocking). The neighbour lists must match the reference backend's rank by rank to 1e-4
 * in distance (a fast kernel's float rounding may swap two near-equal candidates, nothing more); weights
 * and symmetrization are shared code, the same on every backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GraphBuildBenchmark {
    @Param({"reference", "cpu-scalar", "cpu"})
    String backend;

    @Param({"3001"})
    int rows;

    @Param({"50"})
    int dim;

    private BenchBackend impl;
    private FloatMatrix x;
    private Neighbors expected;
    private Neighbors lastNeighbors;

    @Setup
    public void setup() {
        x = Synthetic.gaussianClusters(rows, dim, 7, 11).features();
        impl = BenchBackend.create(backend);
        try (BenchBackend reference = BenchBackend.create("reference")) {
            expected = KnnGraph.build(reference.backend(), x, KnnGraph.Options.defaults(), Progress.NONE).neighbors();
        }
    }

    @Benchmark
    public CsrGraph build() {
        KnnGraph built = KnnGraph.build(impl.backend(), x, KnnGraph.Options.defaults(), Progress.NONE);
        lastNeighbors = built.neighbors();
        return built.graph();
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (lastNeighbors != null) {
            BenchChecks.sameDistances(backend + " graph build", expected, lastNeighbors);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        impl.close();
    }
}
