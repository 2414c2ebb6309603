package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core speaks in parameters: no string literal in its main sources names a command-line flag ("--k"), since
 * a Java caller never typed one. The CLI maps parameters to its flags.
 */
class NoCliFlagsTest {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern FLAG = Pattern.compile("--[a-z]");

    @Test
    void noStringLiteralInCoreNamesAFlag() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the core module: " + sources.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = STRING.matcher(lines.get(i));
                    while (m.find()) {
                        if (FLAG.matcher(m.group()).find()) {
                            found.add(sources.relativize(f) + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theCheckFindsAFlag() {
        Matcher m = STRING.matcher("throw new X(\"--k must be at least 1\");");
        assertTrue(m.find() && FLAG.matcher(m.group()).find());
    }
}
