package org.labelprop.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Symmetrization;
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
 * One label-spreading step (SpMM fused with the update) on a random graph of about 20 edges per row, larger
 * than the last-level cache. Bytes moved per step, for GB/s: 12 per edge + 4 per row (CSR) plus
 * 3 * 4 * classes per row (Y read by the product, Y0 read, Y written), ignoring the gather's reuse.
 * The first step's change is compared with the reference backend's in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class SpmmBenchmark {
    @Param({"reference", "cpu-scalar", "cpu"})
    String backend;

    @Param({"1000003"})
    int rows;

    @Param({"10"})
    int classes;

    /** How the measured backend makes its propagator: its own choice unless a benchmark picks a path. */
    PropagatorFactory factory = Backend::propagator;

    private BenchBackend impl;
    private Propagator propagator;

    @FunctionalInterface
    interface PropagatorFactory {
        Propagator create(Backend backend, CsrGraph graph, PropagationState start, StepRule rule);
    }

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(7);
        int m = rows * 10;
        int[] src = new int[m];
        int[] dst = new int[m];
        float[] w = new float[m];
        for (int e = 0; e < m; e++) {
            src[e] = r.nextInt(rows);
            dst[e] = r.nextInt(rows);
            w[e] = 0.05f * r.nextFloat();
        }
        CsrGraph g = GraphBuilder.fromEdges(rows, src, dst, w, Symmetrization.MAX, false);
        float[] y = new float[rows * classes];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        PropagationState start = new PropagationState(rows, classes, y, y.clone());
        StepRule rule = new StepRule(0.99f, 0.01f, null, false);
        impl = BenchBackend.create(backend);
        propagator = factory.create(impl.backend(), g, start, rule);
        try (BenchBackend reference = BenchBackend.create("reference");
             Propagator ref = reference.backend().propagator(g, start, rule)) {
            StepResult want = ref.step();
            StepResult got = propagator.step();
            if (Math.abs(want.change() - got.change()) > 1e-5 * want.change()) {
                throw new IllegalStateException(backend + " step differs from the reference: " + got + " vs " + want);
            }
        }
    }

    @Benchmark
    public StepResult step() {
        return propagator.step();
    }

    @TearDown(Level.Trial)
    public void close() {
        try {
            propagator.close();
        } finally {
            impl.close();
        }
    }
}
