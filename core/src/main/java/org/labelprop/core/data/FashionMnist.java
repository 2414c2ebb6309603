package org.labelprop.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.IdxFile;
import org.labelprop.core.io.LabelReader;

/**
 * Fashion-MNIST as Debian's package dataset-fashion-mnist installs it: the 60,000 training and 10,000
 * test images, concatenated into one 70,000 x 784 matrix with pixels scaled to [0, 1].
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the IDX files. */
    /** Each image is SIDE x SIDE pixels, one row of the feature matrix read row-major. */
    public static final int SIDE = 28;
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final String[] IMAGES = {"train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"};
    private static final String[] LABELS = {"train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    private FashionMnist() {
    }

    /** Whether all four files are present in {@code dir}. */
    public static boolean isPresent(Path dir) {
        for (String f : IMAGES) {
            if (!Files.isReadable(dir.resolve(f))) {
                return false;
            }
        }
        for (String f : LABELS) {
            if (!Files.isReadable(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code limit} of the 70,000 images (training set first) and their true classes. */
    public static Dataset load(Path dir, int limit) throws IOException {
        if (!isPresent(dir)) {
            throw new DataException(dir + ": Fashion-MNIST IDX files not found; install them with "
                    + "apt-get install dataset-fashion-mnist");
        }
        FloatMatrix train = IdxFile.readMatrix(dir.resolve(IMAGES[0]));
        FloatMatrix test = IdxFile.readMatrix(dir.resolve(IMAGES[1]));
        int[] trainY = LabelReader.read(dir.resolve(LABELS[0]));
        int[] testY = LabelReader.read(dir.resolve(LABELS[1]));
        int n = Math.min(limit, train.rows() + test.rows());
        int d = train.cols();
        float[] x = new float[FloatMatrix.checkSize(n, d, "Fashion-MNIST")];
        int fromTrain = Math.min(n, train.rows());
        System.arraycopy(train.data(), 0, x, 0, fromTrain * d);
        System.arraycopy(test.data(), 0, x, fromTrain * d, (n - fromTrain) * d);
        int[] y = new int[n];
        System.arraycopy(trainY, 0, y, 0, fromTrain);
        System.arraycopy(testY, 0, y, fromTrain, n - fromTrain);
        FloatMatrix features = new FloatMatrix(n, d, x).scaleInPlace(1f / 255f);
        return new Dataset("Fashion-MNIST", features, y);
    }
}
