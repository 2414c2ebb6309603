package org.labelprop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.labelprop.bench.BenchReport;
import org.labelprop.bench.Scenario;
import org.labelprop.bench.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code labelprop bench}: the end-to-end scenarios of the bench module's {@link ScenarioRunner}. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run end-to-end benchmark scenarios: fashion-mnist, fashion-mnist-approx, clusters-1m, "
                + "clusters-1m-exact, sbm-10m. Each stage is timed with its rate against this machine's memory "
                + "bandwidth measured in the same run, plus recall, accuracy and peak heap.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "One or more of: ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> scenarios;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--labels-out", paramLabel = "FILE",
            description = "Write the Fashion-MNIST split's labels (.npy, -1 = hidden) for bench/scripts/sklearn_baseline.py.")
    Path labelsOut;

    @Option(names = "--rows", paramLabel = "N", description = "Use only the first N rows of each scenario's data.")
    Integer rows;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "${java.io.tmpdir}",
            description = "Where sbm-10m writes its edge list (about 0.8 GB) (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    Engine engine;

    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(Scenario.ids());
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = new ArrayList<>();
        for (String s : scenarios) {
            try {
                chosen.add(Scenario.byId(s));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ScenarioRunner.Options options = new ScenarioRunner.Options(rows == null ? 0 : rows, labelsOut, workDir);
        try (Engine.Session session = engine.start(spec.commandLine().getErr())) {
            BenchReport report = ScenarioRunner.run(session.backend(), chosen, options, spec.commandLine().getOut());
            if (json != null) {
                report.writeJson(json);
            }
        }
        return Main.OK;
    }
}
