package org.labelprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.NpyFile;
import org.labelprop.core.testing.TestData;

/**
 * Input files of a small run whose summaries are checked value by value: overlapping blobs (so the
 * evaluation has errors to count), four labels per class, and the true class of every row.
 */
record BlobFiles(Path features, Path labels, Path truth, int[] given) {
    static final int ROWS = 150;
    static final int CLASSES = 3;
    static final int LABELED_PER_CLASS = 4;

    /** Writes x.npy, y.csv and the truth file {@code truthName} into {@code dir}. */
    static BlobFiles write(Path dir, String truthName) throws IOException {
        FloatMatrix x = TestData.blobs(CLASSES, ROWS / CLASSES, 4, 3f, 11);
        int[] given = TestData.fewLabels(ROWS, CLASSES, LABELED_PER_CLASS);
        Path features = dir.resolve("x.npy");
        NpyFile.writeMatrix(features, x);
        int[] truth = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            truth[i] = trueClass(i);
        }
        return new BlobFiles(features, Files.writeString(dir.resolve("y.csv"), lines(given)),
                Files.writeString(dir.resolve(truthName), lines(truth)), given);
    }

    /** {@code command --features F --labels L} followed by {@code more}. */
    String[] args(String command, String... more) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command, "--features", features.toString(),
                "--labels", labels.toString()), java.util.stream.Stream.of(more)).toArray(String[]::new);
    }

    /** TestData.blobs puts row i in class i % classes. */
    static int trueClass(int row) {
        return row % CLASSES;
    }

    private static String lines(int[] values) {
        return java.util.Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }
}
