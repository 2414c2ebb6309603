package org.labelprop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.data.GraphDataset;
import org.labelprop.core.data.Synthetic;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.GraphBuilder;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.io.EdgeList;
import org.labelprop.core.io.EdgeListReader;

/**
 * A graph too large for anything but propagation: a stochastic block model of 10,000,000 nodes in 10 planted
 * classes, 5 edges drawn per node (4 inside its class, 1 anywhere), written as a CSV edge list (about
 * 0.8 GB), read back and symmetrized to about 10 per node, label spreading from 1% of the nodes. A random
 * graph gathers a row of Y from anywhere for every edge, so the step is set against the machine's
 * random-read floor as well as its bandwidth.
 */
final class SbmScenario {
    private SbmScenario() {
    }

    static void run(Backend backend, ScenarioRunner.Options options, MachineProbes.Figures machine,
                    BenchReport report) throws IOException {
        String name = Scenario.SBM_10M.id();
        int n = options.rowsOr(10_000_000);
        Path file = Files.createTempFile(options.workDir(), "labelprop-sbm-", ".csv");
        try {
            long t0 = System.nanoTime();
            int[] truth = generateInto(file, backend, n);
            report.stage(name, "generate + write edge list", t0, 5L * n + " edges, " + Files.size(file) / (1 << 20)
                    + " MiB CSV");
            t0 = System.nanoTime();
            EdgeList list = EdgeListReader.read(file);
            report.stage(name, "read edge list", t0, "");
            t0 = System.nanoTime();
            CsrGraph graph = GraphBuilder.fromEdges(n, list.src(), list.dst(), list.weight(), Symmetrization.MAX,
                    false, backend.workers());
            report.stage(name, "build CSR (symmetrized)", t0, graph.edges() + " edges");
            int[] labels = new int[n];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(100) == 0 ? truth[i] : -1;
            }
            double stepMs = 1e3 * SpreadingStage.run(backend, name, graph, labels, truth, machine.triadGBs(), report);
            // At best one random line read per edge.
            double floorMs = graph.edges() * machine.randomLineNs() / 1e6;
            report.record(name, "random_gather_floor_ms", floorMs);
            report.figure("random-gather floor of a step", String.format("%10.2f ms   one random line per edge; the "
                    + "step takes %.1fx that", floorMs, stepMs / floorMs));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Generates the graph on the backend's workers and writes its edges to {@code file}; returns the
     * classes. The generated edges are garbage once written, so they do not count in the peak heap of what
     * follows.
     */
    private static int[] generateInto(Path file, Backend backend, int n) throws IOException {
        GraphDataset sbm = backend.workers().submit(() -> Synthetic.stochasticBlockModel(n, 10, 4, 1, 17)).join();
        EdgeListCsv.write(file, sbm.edges());
        return sbm.truth();
    }
}
