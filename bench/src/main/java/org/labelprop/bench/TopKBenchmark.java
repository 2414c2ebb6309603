package org.labelprop.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.labelprop.core.backend.TopK;
import org.labelprop.cpu.TopKRowSelector;
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
 * Top-k selection alone, as the distance tile's consumer runs it: rows of dot products turned into squared
 * distances and offered to a {@link TopK}, the reference being the plain loop over every candidate, the
 * others the cpu backend's scalar and Vector API selection through {@link TopKRowSelector} (which filter
 * by the running bound before offering). An awkward row length (4099, not a multiple of any vector) and
 * k = 10; the selected lists are compared with the reference's after each iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TopKBenchmark {
    private static final int ROWS = 64;

    @Param({"reference", "cpu-scalar", "cpu"})
    String kernel;

    @Param({"4099"})
    int candidates;

    @Param({"10"})
    int k;

    private float[] tile;
    private float[] bNorm;
    private float[] qNorm;
    private TopKRowSelector impl;
    private int[] lastIndex;
    private float[] lastDist;

    @Setup
    public void setup() {
        Random r = new Random(3);
        tile = new float[ROWS * candidates];
        bNorm = new float[candidates];
        qNorm = new float[ROWS];
        for (int j = 0; j < candidates; j++) {
            bNorm[j] = 20f + r.nextFloat();
        }
        for (int i = 0; i < ROWS; i++) {
            qNorm[i] = 20f + r.nextFloat();
            for (int j = 0; j < candidates; j++) {
                tile[i * candidates + j] = 10f + 5f * r.nextFloat();
            }
        }
        impl = switch (kernel) {
            case "reference" -> null;
            case "cpu-scalar" -> TopKRowSelector.create("scalar", note -> { });
            case "cpu" -> TopKRowSelector.create("auto", note -> { });
            default -> throw new IllegalArgumentException(kernel);
        };
    }

    @Benchmark
    public int[] select() {
        int[] index = new int[ROWS * k];
        float[] dist = new float[ROWS * k];
        for (int i = 0; i < ROWS; i++) {
            TopK top = new TopK(k);
            if (impl == null) {
                for (int j = 0; j < candidates; j++) {
                    top.offer(Math.max(0f, qNorm[i] + bNorm[j] - 2f * tile[i * candidates + j]), j);
                }
            } else {
                impl.select(tile, i * candidates, candidates, qNorm[i], bNorm, 0, -1, top);
            }
            top.drainSorted(index, dist, i * k);
        }
        lastIndex = index;
        lastDist = dist;
        return index;
    }

    /** Every kernel must select exactly the reference's lists: same candidates, same order. */
    @TearDown(Level.Iteration)
    public void check() {
        if (lastIndex == null) {
            return;
        }
        int[] want = new int[ROWS * k];
        float[] wantDist = new float[ROWS * k];
        for (int i = 0; i < ROWS; i++) {
            TopK top = new TopK(k);
            for (int j = 0; j < candidates; j++) {
                top.offer(Math.max(0f, qNorm[i] + bNorm[j] - 2f * tile[i * candidates + j]), j);
            }
            top.drainSorted(want, wantDist, i * k);
        }
        if (!java.util.Arrays.equals(want, lastIndex)) {
            throw new IllegalStateException(kernel + " selected other candidates than the reference");
        }
    }
}
