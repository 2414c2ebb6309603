package org.labelprop.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.labelprop.core.Prediction;
import org.labelprop.core.algo.ActiveLearning;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.io.OutputSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code labelprop suggest}: everything {@code propagate} does, then the rows a person should label next
 * ({@link ActiveLearning}), best first, one row index per line.
 */
@Command(name = "suggest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Propagate as 'propagate' does, then print the N unlabeled rows (0-based) whose labels would "
                + "help most, best first: uncertain rows in uncertain, well-connected regions, spread over the graph.",
        footer = StandardInput.HELP)
final class SuggestCommand extends PropagateCommand {
    @Option(names = "--budget", required = true, paramLabel = "N", description = "Rows to suggest.")
    int budget;

    @Option(names = "--rows-out", paramLabel = "R",
            description = "Write the suggested rows here instead of stdout (needed with --out -).")
    Path rowsOut;

    @Override
    public Integer call() throws Exception {
        if (task.equals("regression")) {
            throw new ParameterException(spec.commandLine(), "--task regression: suggest ranks rows by class "
                    + "margins, so it takes classification labels");
        }
        if (rowsOut == null && StandardInput.isDash(out)) {
            throw new ParameterException(spec.commandLine(), "--out -: the suggested rows go to standard output "
                    + "too; give them a file with --rows-out R");
        }
        return super.call();
    }

    @Override
    void checkLabels(Labels known) {
        ActiveLearning.checkBudget(known, budget);
    }

    @Override
    OutputSet outputs() {
        return super.outputs().add("--rows-out", rowsOut);
    }

    @Override
    void afterPrediction(Stages stages, CsrGraph graph, Labels known, Prediction p, OutputSet outputs)
            throws Exception {
        int[] rows = stages.time("suggest", () -> ActiveLearning.suggest(graph, known, p, budget));
        StringBuilder text = new StringBuilder();
        for (int r : rows) {
            text.append(r).append('\n');
        }
        if (rowsOut == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        } else {
            outputs.content("--rows-out", o -> o.write(text.toString().getBytes(StandardCharsets.US_ASCII)));
        }
    }
}
