package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.testing.Fifos;

/** Special files only as FIFOs and symlinks made in the temporary folder: never a /dev entry. */
class OutputSetTest {
    @TempDir
    Path dir;

    private static AtomicOutput.IOConsumer<java.io.OutputStream> text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void symlinkTargetIsWrittenAndTheLinkKept() throws IOException {
        Path real = dir.resolve("real.csv");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real.getFileName());
        AtomicOutput.write(link, text("new"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        assertEquals(List.of(link, real), list());
    }

    @Test
    void danglingSymlinkCreatesItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("later.csv"));
        AtomicOutput.write(link, text("x"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("x", Files.readString(dir.resolve("later.csv")));
    }

    @Test
    void fifoIsWrittenDirectlyNeverReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Fifos.make(fifo);
        CompletableFuture<String> reader = Fifos.readInBackground(fifo);
        AtomicOutput.write(fifo, text("through the pipe"));
        assertEquals("through the pipe", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo));
        assertEquals(List.of(fifo), list());
    }

    @Test
    void symlinkToAFifoWritesThePipe() throws Exception {
        Path fifo = dir.resolve("pipe");
        Fifos.make(fifo);
        Path link = Files.createSymbolicLink(dir.resolve("out.csv"), fifo);
        CompletableFuture<String> reader = Fifos.readInBackground(fifo);
        AtomicOutput.write(link, text("via link"));
        assertEquals("via link", reader.get(10, TimeUnit.SECONDS));
        assertTrue(Files.isSymbolicLink(link));
        assertFalse(Files.isRegularFile(fifo));
    }

    @Test
    void dashIsStandardOutputWhenGiven() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (OutputSet set = new OutputSet(stdout)) {
            set.add("--out", Path.of("-"));
            set.content("--out", text("to stdout"));
            set.commit();
        }
        assertEquals("to stdout", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outputThatIsAnInputIsRefusedBeforeAnyWrite() throws IOException {
        Path input = Files.writeString(dir.resolve("x.csv"), "1,2\n");
        Path link = Files.createSymbolicLink(dir.resolve("alias.csv"), input);
        for (Path target : List.of(input, dir.resolve("./x.csv"), link)) {
            OutputSet set = new OutputSet(null).input("--features", input);
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> set.add("--out", target));
            assertEquals("--out", e.parameter());
            assertTrue(e.getMessage().contains("--features"), e.getMessage());
        }
        Path hard = Files.createLink(dir.resolve("hard.csv"), input);
        OutputSet set = new OutputSet(null).input("--features", hard);
        assertThrows(InvalidOptionException.class, () -> set.add("--history", input));
        assertEquals("1,2\n", Files.readString(input));
    }

    @Test
    void twoOutputsMayNotBeTheSameFile() {
        OutputSet set = new OutputSet(null).add("--out", dir.resolve("a.csv"));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> set.add("--history", dir.resolve("a.csv")));
        assertTrue(e.getMessage().contains("--out"), e.getMessage());
    }

    @Test
    void locationIsCheckedUpFrontAndNamedByItsOption() throws IOException {
        OutputSet set = new OutputSet(null);
        InvalidOptionException noDir = assertThrows(InvalidOptionException.class,
                () -> set.add("--out", dir.resolve("missing/out.csv")));
        assertEquals("--out", noDir.parameter());
        assertTrue(noDir.problem().contains("does not exist"), noDir.problem());
        assertThrows(InvalidOptionException.class, () -> set.add("--out", dir));
        InvalidOptionException root = assertThrows(InvalidOptionException.class, () -> set.add("--graph-out", Path.of("/")));
        assertTrue(root.problem().contains("directory"), root.problem());
    }

    @Test
    void outputsLandTogetherOrNotAtAll() throws IOException {
        Path out = Files.writeString(dir.resolve("out.csv"), "old predictions");
        Path history = dir.resolve("history.csv");
        DataException e;
        try (OutputSet set = new OutputSet(null)) {
            set.add("--out", out).add("--history", history);
            set.content("--out", text("new predictions"));
            set.content("--history", o -> {
                o.write(new byte[100_000]);
                throw new IOException("No space left on device");
            });
            e = assertThrows(DataException.class, set::commit);
        }
        assertTrue(e.getMessage().startsWith("--history " + history), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
        assertEquals("old predictions", Files.readString(out));
        assertEquals(List.of(out), list());
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        try (OutputSet set = new OutputSet(null)) {
            set.add("--out", dir.resolve("o.csv"));
            set.content("--out", text("x"));
        }
        assertEquals(List.of(), list());
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
