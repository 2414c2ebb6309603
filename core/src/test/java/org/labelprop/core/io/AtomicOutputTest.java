package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.DataException;

class AtomicOutputTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicOutput.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(target));
        AtomicOutput.write(target, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(target));
        assertEquals(List.of(target), list());
    }

    @Test
    void failingBodyLeavesNoFileAndNoTemp() throws IOException {
        Path target = dir.resolve("out.csv");
        IOException thrown = new IOException("disk full");
        DataException e = assertThrows(DataException.class, () -> AtomicOutput.write(target, out -> {
            out.write(new byte[200_000]);
            throw thrown;
        }));
        assertSame(thrown, e.getCause());
        assertTrue(e.getMessage().startsWith(target + ": could not write (disk full)"), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), list());
    }

    @Test
    void failingBodyKeepsThePreviousTarget() throws IOException {
        Path target = dir.resolve("out.csv");
        Files.writeString(target, "old");
        assertThrows(IllegalStateException.class, () -> AtomicOutput.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("bug");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), list());
    }

    @Test
    void bodyMayCloseTheStreamItself() throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicOutput.write(target, out -> {
            out.write(42);
            out.close();
        });
        assertEquals(1, Files.size(target));
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
