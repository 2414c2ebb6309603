package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code labelprop completion}: the script names every command, and bash, sourcing it, completes with it. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void theScriptNamesEverySubcommandThatMainRegisters() {
        CliTest.Run r = CliTest.run("completion");
        assertEquals(Main.OK, r.code(), r.err());
        List<String> commands = List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
        assertTrue(commands.containsAll(List.of("propagate", "predict", "demo", "completion")), commands.toString());
        for (String command : commands) {
            assertTrue(r.out().contains(" " + command), command + " is missing from the script");
        }
    }

    @Test
    void bashCompletesACommandAndAnOptionWithTheScript() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash to source the script in");
        Path script = dir.resolve("labelprop-completion.bash");
        Files.writeString(script, CliTest.run("completion").out());
        assertEquals(List.of("propagate"), complete(script, "labelprop", "prop"));
        assertEquals(List.of("--algorithm"), complete(script, "labelprop", "propagate", "--algo"));
    }

    /**
     * What bash offers for the last word, by calling the function the script registered for labelprop as bash
     * would on Tab. The builtin compopt refuses to run outside a real completion, so it is a no-op here.
     */
    private static List<String> complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String program = "source \"$1\"; compopt() { :; }; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                + "fn=$(complete -p labelprop | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p'); "
                + "$fn labelprop \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("/bin/bash", "-c", program, "bash", script.toString())
                .redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        assertEquals(0, bash.exitValue(), out);
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
