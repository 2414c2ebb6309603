package org.labelprop.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.Backend;
import org.labelprop.cpu.CacheSize;

/**
 * Runs end-to-end {@link Scenario}s on one backend: each stage timed with its rate (GFLOP/s for the exact
 * graph, GB/s for propagation steps) against this machine's memory bandwidth and random-read time measured
 * in the same run, plus recall, accuracy and peak heap; printed as it goes and returned as a
 * {@link BenchReport} for JSON. {@code labelprop bench} is its command line; bench/scripts/compare-sklearn.sh
 * runs scikit-learn on the same split right after, so the two are measured side by side.
 */
public final class ScenarioRunner {
    /**
     * @param rows use only the first {@code rows} rows (nodes) of each scenario's data; 0: all of them
     * @param labelsOut where the Fashion-MNIST scenarios write their split's labels (.npy, -1 = hidden) for
     *     bench/scripts/sklearn_baseline.py; null: nowhere
     * @param workDir where sbm-10m writes its edge list (about 0.8 GB at full size)
     */
    public record Options(int rows, Path labelsOut, Path workDir) {
        public Options {
            if (rows != 0 && rows < 100) {
                throw new InvalidOptionException("ScenarioRunner.Options.rows",
                        "must be at least 100 (0: all rows), got " + rows);
            }
            Objects.requireNonNull(workDir, "workDir");
        }

        int rowsOr(int all) {
            return rows == 0 ? all : rows;
        }
    }

    private ScenarioRunner() {
    }

    /**
     * Measures the machine, then runs {@code scenarios} in order, printing to {@code out}.
     *
     * @param backend owned by the caller, who closes it afterwards
     */
    public static BenchReport run(Backend backend, List<Scenario> scenarios, Options options, PrintWriter out)
            throws IOException {
        BenchReport report = new BenchReport(out);
        MachineProbes.Figures machine = MachineProbes.measure(backend.workers());
        report.note("labelprop bench, backend %s, %d processors, max heap %.1f GiB", backend.description(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        report.note("instruction set the JIT uses: %s; %s", MachineProbes.instructionSet(), MachineProbes.jdk());
        report.describeMachine("isa", MachineProbes.instructionSet());
        report.describeMachine("backend", backend.description());
        report.describeMachine("jdk", MachineProbes.jdk());
        // The cpu backend blocks its exact self-join by this size, so it is part of what a figure depends on.
        long l2 = CacheSize.l2Bytes();
        report.note("L2 per core, as the cpu backend sizes its self-join: %d KB (%d KB assumed where /sys does not say)",
                l2 >> 10, CacheSize.ASSUMED_L2_BYTES >> 10);
        report.describeMachine("l2_KiB", Long.toString(l2 >> 10));
        report.note("memory bandwidth (triad a = b + s c on 3 x 256 MB, same run): %.1f GB/s", machine.triadGBs());
        report.note("random reads (one 64-byte line each from 512 MB, all threads, same run): %.2f ns per line",
                machine.randomLineNs());
        report.record(BenchReport.MACHINE, "triad_GBs", machine.triadGBs());
        report.record(BenchReport.MACHINE, "random_line_ns", machine.randomLineNs());
        for (Scenario s : scenarios) {
            PeakHeap.reset();
            report.begin(s.id());
            switch (s) {
                case FASHION_MNIST, FASHION_MNIST_ALL_PAIRS, FASHION_MNIST_APPROX ->
                        FashionMnistScenario.run(backend, s, options, machine.triadGBs(), report);
                case CLUSTERS_1M -> ClustersScenario.approximate(backend, options, report);
                case CLUSTERS_1M_EXACT -> ClustersScenario.exact(backend, options, machine.triadGBs(), report);
                case SBM_10M -> SbmScenario.run(backend, options, machine, report);
            }
            double peak = PeakHeap.gib();
            report.record(s.id(), "peak_heap_GiB", peak);
            report.figure("peak heap", String.format("%10.2f GiB", peak));
        }
        return report;
    }
}
