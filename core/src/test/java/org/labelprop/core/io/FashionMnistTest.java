package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.labelprop.core.FloatMatrix;

/** The real Fashion-MNIST IDX files, where the Debian package has installed them. */
class FashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @ParameterizedTest
    @CsvSource({"train, 60000", "t10k, 10000"})
    void readsImagesAndLabels(String split, int n) throws IOException {
        Path images = DIR.resolve(split + "-images-idx3-ubyte.gz");
        Path labels = DIR.resolve(split + "-labels-idx1-ubyte.gz");
        assumeTrue(Files.isReadable(images) && Files.isReadable(labels), "Fashion-MNIST not installed in " + DIR);

        FloatMatrix x = FeatureReader.read(images);
        assertEquals(n, x.rows());
        assertEquals(28 * 28, x.cols());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(255f, max);

        int[] y = LabelReader.read(labels);
        assertEquals(n, y.length);
        // Both splits are balanced: a tenth of the images in each of the ten classes.
        int[] counts = new int[10];
        for (int label : y) {
            counts[label]++;
        }
        int[] balanced = new int[10];
        Arrays.fill(balanced, n / 10);
        assertArrayEquals(balanced, counts);
    }
}
