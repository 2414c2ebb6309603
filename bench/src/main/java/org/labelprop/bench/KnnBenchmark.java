package org.labelprop.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
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
 * Exact kNN (k = 10) of every row among all rows: distance tiles plus top-k. Each iteration's result is
 * compared with the reference backend's, so a fast wrong kernel fails the run. GFLOP/s = 2 n^2 d / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KnnBenchmark {
    @Param({"reference", "cpu-scalar", "cpu"})
    String backend;

    @Param({"2001"})
    int n;

    @Param({"17", "784"})
    int dim;

    private BenchBackend impl;
    private FloatMatrix x;
    private Neighbors expected;
    private Neighbors last;

    @Setup
    public void setup() {
        Random r = new Random(42);
        float[] data = new float[n * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat();
        }
        x = new FloatMatrix(n, dim, data);
        impl = BenchBackend.create(backend);
        try (BenchBackend reference = BenchBackend.create("reference")) {
            expected = reference.backend().nearest(x, x, 10, true, Progress.NONE);
        }
    }

    @Benchmark
    public Neighbors knn() {
        last = impl.backend().nearest(x, x, 10, true, Progress.NONE);
        return last;
    }

    /** The distances must agree with the reference's to float rounding (see {@link BenchChecks}). */
    @TearDown(Level.Iteration)
    public void check() {
        if (last != null) {
            BenchChecks.sameDistances(backend + " kNN", expected, last);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        impl.close();
    }
}
