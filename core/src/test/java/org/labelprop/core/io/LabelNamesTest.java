package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.ClassNames;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.testing.Fifos;

/** Class names in label files: {@link LabelReader#readNamed}, truth read by names, priors and predictions. */
class LabelNamesTest {
    @TempDir
    Path dir;

    @Test
    void namesAreNumberedInCodePointOrderAndUnlabeledStaysUnlabeled() throws IOException {
        Path file = IoTestFiles.write(dir, "y.csv", "label\ncat\ndog\n\ncat\n-1\nNaN\nankle boot\nDog\n");
        LabelFile read = LabelReader.readNamed(file);
        assertEquals(List.of("Dog", "ankle boot", "cat", "dog"), read.names().names());
        assertArrayEquals(new int[] {2, 3, -1, 2, -1, -1, 1, 0}, read.labels());
        assertEquals("label", read.header());
    }

    @Test
    void firstLineIsDataWhenItOccursAgain() throws IOException {
        LabelFile read = LabelReader.readNamed(IoTestFiles.write(dir, "y.txt", "cat\ndog\ncat\n\n"));
        assertNull(read.header());
        assertArrayEquals(new int[] {0, 1, 0, -1}, read.labels());
    }

    @Test
    void aFirstLineFoundNowhereElseIsAHeaderAndARowCountOneShortSaysSo() throws IOException {
        LabelFile read = LabelReader.readNamed(IoTestFiles.write(dir, "y.csv", "cat\ndog\n\ndog\n"));
        assertEquals("cat", read.header());
        assertEquals(List.of("dog"), read.names().names());
        assertTrue(read.rowCountHint(4).contains("its first line 'cat' was read as a header"), read.rowCountHint(4));
        assertEquals("", read.rowCountHint(5));
    }

    @Test
    void anyValueThatIsNotANumberMakesEveryValueAName() throws IOException {
        LabelFile read = LabelReader.readNamed(IoTestFiles.write(dir, "y.csv", "2\n10\nother\n\n2.5\n-1\n2\n"));
        assertEquals(List.of("10", "2", "2.5", "other"), read.names().names());
        assertArrayEquals(new int[] {1, 0, 3, -1, 2, -1, 1}, read.labels());
        assertNull(read.header());
    }

    @Test
    void numbersStayNumbersWithHeaderAsBefore() throws IOException {
        Path file = IoTestFiles.write(dir, "y.csv", "label\n3\n-1\n\n2.0\n  nan \n0\n7");
        LabelFile read = LabelReader.readNamed(file);
        assertEquals(ClassNames.NUMBERS, read.names());
        assertArrayEquals(LabelReader.read(file), read.labels());
        assertArrayEquals(new int[] {3, -1, -1, 2, -1, 0, 7}, read.labels());
        assertEquals("label", read.header());
        assertEquals(ClassNames.NUMBERS, LabelReader.readNamed(IoTestFiles.resource("labels_i8.npy")).names());
    }

    @Test
    void badNumbersInANumberFileAreStillErrors() throws IOException {
        Path file = IoTestFiles.write(dir, "y.csv", "y\n0\n1\n1.5\n2\n");
        DataException e = assertThrows(DataException.class, () -> LabelReader.readNamed(file));
        assertTrue(e.getMessage().startsWith(file + ": row 4: label 1.5"), e.getMessage());
    }

    @Test
    void quotedNamesAreUnquoted() throws IOException {
        LabelFile read = LabelReader.readNamed(IoTestFiles.write(dir, "y.csv", "\"x\"\n\"cat\"\ndog\n\"\"\n"));
        assertEquals("x", read.header());
        assertEquals(List.of("cat", "dog"), read.names().names());
        assertArrayEquals(new int[] {0, 1, -1}, read.labels());
    }

    @Test
    void quotedEmptyOrMarkerFirstLinesAreNoHeader() throws IOException {
        LabelFile read = LabelReader.readNamed(IoTestFiles.write(dir, "y.csv", "\"\"\ncat\ndog\n"));
        assertNull(read.header());
        assertArrayEquals(new int[] {-1, 0, 1}, read.labels());
        read = LabelReader.readNamed(IoTestFiles.write(dir, "z.csv", "\"-1\"\ncat\ndog\n"));
        assertArrayEquals(new int[] {-1, 0, 1}, read.labels());
    }

    @Test
    void aNameAFileCannotRoundTripIsAnErrorNamingItsRow() throws IOException {
        Path file = IoTestFiles.write(dir, "y.csv", "label\ncat\ndog\nbad\u0007name\n");
        DataException e = assertThrows(DataException.class, () -> LabelReader.readNamed(file));
        assertEquals(file + ": row 4: label 'bad\\u0007name' holds a control character", e.getMessage());
        Path two = IoTestFiles.write(dir, "two.csv", "label\ncat\ndog,3\n");
        e = assertThrows(DataException.class, () -> LabelReader.readNamed(two));
        assertEquals(two + ": row 3: 2 columns; expected one label per row", e.getMessage());
    }

    @Test
    void aPipeIsReadInOnePass() throws Exception {
        for (String content : new String[] {"label\ncat\n\ndog\ncat\n", "y\n1\n\n0\n"}) {
            Path fifo = Fifos.make(dir.resolve("y-" + content.length() + ".csv"));
            CompletableFuture<Void> writer = writeInBackground(fifo, content);
            LabelFile read = LabelReader.readNamed(fifo);
            writer.join();
            Path plain = IoTestFiles.write(dir, "plain.csv", content);
            LabelFile expected = LabelReader.readNamed(plain);
            assertEquals(expected.names(), read.names());
            assertArrayEquals(expected.labels(), read.labels());
            assertEquals(expected.header(), read.header());
        }
    }

    /** Writes the FIFO on another thread: a reader blocks until a writer opens it. */
    private static CompletableFuture<Void> writeInBackground(Path fifo, String content) {
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(fifo, content);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aPipeOfNumbersFailsAsAFileDoes() throws Exception {
        for (String content : new String[] {"1e\n0\n1\n", "0\n1\n1.5\n"}) {
            Path plain = IoTestFiles.write(dir, "plain.csv", content);
            String expected = assertThrows(DataException.class, () -> LabelReader.readNamed(plain)).getMessage();
            Path fifo = Fifos.make(dir.resolve("bad-" + content.length() + ".csv"));
            CompletableFuture<Void> writer = writeInBackground(fifo, content);
            DataException e = assertThrows(DataException.class, () -> LabelReader.readNamed(fifo));
            writer.join();
            assertEquals(expected.replace(plain.toString(), fifo.toString()), e.getMessage());
        }
    }

    @Test
    void truthIsReadByTheLabelsNames() throws IOException {
        ClassNames names = ClassNames.fit(List.of("cat", "dog", "ankle boot"));
        Path truth = IoTestFiles.write(dir, "truth.csv", "truth\ndog\ncat\n\nankle boot\n-1\n");
        assertArrayEquals(new int[] {2, 1, -1, 0, -1}, LabelReader.read(truth, names));
        Path noHeader = IoTestFiles.write(dir, "t.csv", "dog\ncat\n");
        assertArrayEquals(new int[] {2, 1}, LabelReader.read(noHeader, names));
    }

    @Test
    void aTruthNameTheLabelsLackIsOneLineNamingFileRowAndValue() throws IOException {
        ClassNames names = ClassNames.fit(List.of("cat", "dog"));
        Path truth = IoTestFiles.write(dir, "truth.csv", "truth\ndog\ncow\n");
        DataException e = assertThrows(DataException.class, () -> LabelReader.read(truth, names));
        assertEquals(truth + ": row 3: label 'cow' is not one of the labels' classes ('cat', 'dog')", e.getMessage());
        Path npy = dir.resolve("t.npy");
        NpyFile.writeMatrix(npy, new FloatMatrix(2, 1, new float[] {0, 1}));
        e = assertThrows(DataException.class, () -> LabelReader.read(npy, names));
        assertTrue(e.getMessage().startsWith(npy + ": holds numbers, but the labels are class names"),
                e.getMessage());
    }

    @Test
    void priorsNameClasses() throws IOException {
        ClassNames names = ClassNames.fit(List.of("cat", "dog", "ankle boot"));
        Path file = IoTestFiles.write(dir, "p.csv", "class,prior\ndog,0.5\nankle boot,0.25\ncat,0.25\n");
        assertEquals(Map.of(2, 0.5, 0, 0.25, 1, 0.25), ClassPriorReader.read(file, names));
        Path noHeader = IoTestFiles.write(dir, "q.csv", "dog,0.5\ncat,0.5\n");
        assertEquals(Map.of(2, 0.5, 1, 0.5), ClassPriorReader.read(noHeader, names));
        Path unknown = IoTestFiles.write(dir, "r.csv", "dog,0.5\ncow,0.5\n");
        DataException e = assertThrows(DataException.class, () -> ClassPriorReader.read(unknown, names));
        assertEquals(unknown + ": row 2: class 'cow' is not one of the labels' classes ('ankle boot', 'cat', 'dog')",
                e.getMessage());
    }

    @Test
    void predictionsWriteNames() throws IOException {
        ClassNames names = ClassNames.fit(List.of("cat", "dog"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PredictionWriter.content(Path.of("p.csv"), new int[] {1, -1}, new float[] {0.75f, 0f}, new int[] {0, 1},
                new float[] {0.25f, 0.75f, 0f, 0f}, names).accept(out);
        assertEquals("row,label,confidence,p_cat,p_dog\n0,dog,0.75,0.25,0.75\n1,,0.0,0.0,0.0\n",
                out.toString(StandardCharsets.UTF_8));
        // Predictions read back as labels: the same names, the unreached row unlabeled.
        Path written = IoTestFiles.write(dir, "labels.csv", "label\ndog\n\ncat\n");
        assertEquals(names, LabelReader.readNamed(written).names());
    }
}
