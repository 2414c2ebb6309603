package org.labelprop.bench;

import java.util.concurrent.TimeUnit;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.StepResult;
import org.labelprop.cuda.CudaBackend;
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
 * The GPU's fused step kernel against cuSPARSE SpMM plus a separate update kernel, in one run: the same
 * graph, state and reference check as {@link SpmmBenchmark}, whose setup this reuses with the cuda backend.
 * Needs a GPU; GB/s as in SpmmBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CudaStepBenchmark {
    /** fused: the backend's own step kernel; cusparse: {@link CudaBackend#cusparsePropagator}. */
    @Param({"fused", "cusparse"})
    String path;

    @Param({"1000003"})
    int rows;

    @Param({"10", "64"})
    int classes;

    private final SpmmBenchmark spmm = new SpmmBenchmark();

    @Setup(Level.Trial)
    public void setup() {
        spmm.backend = "cuda";
        spmm.rows = rows;
        spmm.classes = classes;
        spmm.factory = switch (path) {
            case "fused" -> (backend, graph, start, rule) -> cuda(backend).propagator(graph, start, rule);
            case "cusparse" -> (backend, graph, start, rule) -> cuda(backend).cusparsePropagator(graph, start, rule);
            default -> throw new IllegalArgumentException("path must be fused or cusparse, got '" + path + "'");
        };
        spmm.setup();
    }

    private static CudaBackend cuda(Backend backend) {
        if (backend instanceof CudaBackend c) {
            return c;
        }
        throw new IllegalStateException("the cuda backend is needed, got " + backend.name());
    }

    @Benchmark
    public StepResult step() {
        return spmm.step();
    }

    @TearDown(Level.Trial)
    public void close() {
        spmm.close();
    }
}
