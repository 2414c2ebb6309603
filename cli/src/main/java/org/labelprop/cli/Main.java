package org.labelprop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.BackendException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code labelprop} command. Exit codes: 0 success, 1 data or runtime error, 2 usage error. Errors are
 * one line on stderr, without a stack trace unless {@code --verbose}.
 */
@Command(name = "labelprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Graph-based semi-supervised learning: predict the labels of unlabeled rows from a few "
                + "labeled ones.",
        subcommands = {PropagateCommand.class, SuggestCommand.class, SelfTrainCommand.class, PseudoLabelCommand.class, PredictCommand.class,
                DemoCommand.class, BenchCommand.class, InfoCommand.class, CompletionCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int DATA_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    @Option(names = "--verbose", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "No progress and no stage timings on stderr; errors and the run's summary still print.")
    boolean quiet;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; the streams make it testable in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("labelprop: " + e.getMessage() + " (see --help)");
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InvalidOptionException bad) {
                err.println("labelprop: " + Flags.message(bad) + " (see --help)");
                return USAGE_ERROR;
            }
            // An inherited option is set on the subcommand's copy, not on main: look at the arguments too.
            boolean verbose = main.verbose || java.util.Arrays.asList(args).contains("--verbose");
            err.println("labelprop: error: " + message(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            return DATA_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above; an Error would print a stack trace.
            err.println("labelprop: error: " + message(e));
            return DATA_ERROR;
        }
    }

    /** The version the build wrote into version.properties (the pom's), so it cannot drift from the artifacts. */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the build");
                }
                p.load(in);
            }
            return p.getProperty("version");
        }

        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"labelprop " + number()};
        }
    }

    private static String message(Throwable e) {
        if (e instanceof DataException || e instanceof BackendException) {
            return e.getMessage();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return e.getMessage() + ": file not found";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return e.getMessage() + ": permission denied";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); give Java more heap with JAVA_OPTS=-Xmx<size>";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
