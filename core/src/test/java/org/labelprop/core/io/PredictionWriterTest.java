package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelprop.core.FloatMatrix;

class PredictionWriterTest {
    private static final int[] LABELS = {7, -1, 3};
    private static final float[] CONFIDENCE = {0.9f, 0f, 1f / 3};
    private static final int[] CLASSES = {3, 7};
    private static final float[] PROBABILITIES = {0.1f, 0.9f, 0f, 0f, 1f / 3, 2f / 3};

    @TempDir
    Path dir;

    @Test
    void csvWithProbabilities() throws IOException {
        Path out = dir.resolve("pred.csv");
        PredictionWriter.write(out, LABELS, CONFIDENCE, CLASSES, PROBABILITIES);
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of("row,label,confidence,p_3,p_7", "0,7,0.9,0.1,0.9", "1,-1,0.0,0.0,0.0"),
                lines.subList(0, 3));
        String[] last = lines.get(3).split(",");
        assertEquals("2", last[0]);
        assertEquals("3", last[1]);
        assertEquals(1.0 / 3, Double.parseDouble(last[2]), 1e-6);
        assertEquals(1.0 / 3, Double.parseDouble(last[3]), 1e-6);
        assertEquals(2.0 / 3, Double.parseDouble(last[4]), 1e-6);
        assertEquals(4, lines.size());
    }

    @Test
    void csvWithoutProbabilities() throws IOException {
        Path out = dir.resolve("pred.txt");
        PredictionWriter.write(out, LABELS, CONFIDENCE, CLASSES, null);
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,label,confidence", lines.get(0));
        assertEquals("1,-1,0.0", lines.get(2));
    }

    @Test
    void npyTable() throws IOException {
        Path out = dir.resolve("pred.NPY");
        PredictionWriter.write(out, LABELS, CONFIDENCE, CLASSES, PROBABILITIES);
        FloatMatrix table = NpyFile.readMatrix(out);
        assertEquals(3, table.rows());
        assertEquals(4, table.cols());
        assertArrayEquals(new float[] {7, 0.9f, 0.1f, 0.9f, -1, 0, 0, 0, 3, 1f / 3, 1f / 3, 2f / 3}, table.data());

        PredictionWriter.write(out, LABELS, CONFIDENCE, CLASSES, null);
        assertArrayEquals(new float[] {7, 0.9f, -1, 0, 3, 1f / 3}, NpyFile.readMatrix(out).data());
    }

    @Test
    void mismatchedLengthsAreRejected() {
        Path out = dir.resolve("pred.csv");
        assertThrows(IllegalArgumentException.class,
                () -> PredictionWriter.write(out, LABELS, new float[2], CLASSES, null));
        assertThrows(IllegalArgumentException.class,
                () -> PredictionWriter.write(out, LABELS, CONFIDENCE, CLASSES, new float[5]));
    }
}
