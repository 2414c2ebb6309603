package org.labelprop.core.features;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.Parallel;

/**
 * Gaussian smoothing of rows that are images, before the neighbour search (and its PCA). Why: two
 * drawings of the same garment or digit differ by a pixel or two of shift and stroke width, which raw
 * pixel distances count in full; a blur of about one pixel turns such shifts into small changes. On
 * Fashion-MNIST at 1 label per class it raised spreading by 1.25 points and self-training by 1.4 (see
 * docs/benchmarks.md, "Other features at 1 label per class"). The same filter as scipy.ndimage's
 * {@code gaussian_filter} with its defaults: separable, truncated at 4 sigma, edges mirrored
 * ({@code reflect}: the edge pixel repeated, d c b a | a b c d).
 *
 * <p>Each row holds one image, row-major (height rows of width pixels), channels interleaved per pixel
 * (height x width x channels, as numpy and PIL store colour images); channels are blurred apart.
 *
 * @param height image rows
 * @param width image columns
 * @param channels values per pixel (1: grey)
 * @param sigma the Gaussian's standard deviation in pixels, > 0
 */
public record ImageBlur(int height, int width, int channels, double sigma) {
    /** scipy.ndimage's default: the kernel reaches 4 sigma out. */
    private static final double TRUNCATE = 4.0;

    public ImageBlur {
        if (height < 1 || width < 1 || channels < 1) {
            throw new InvalidOptionException("ImageBlur.shape",
                    "needs height, width and channels of at least 1, got " + height + "x" + width + "x" + channels);
        }
        if (!(sigma > 0 && sigma <= Math.max(height, width))) {
            throw new InvalidOptionException("ImageBlur.sigma",
                    "must be a number of pixels above 0 and at most the image side " + Math.max(height, width)
                            + ", got " + sigma);
        }
    }

    /**
     * The shape as the CLI writes it, HEIGHTxWIDTH or HEIGHTxWIDTHxCHANNELS (e.g. 28x28, 32x32x3), with
     * {@code sigma}; {@code option} names the flag in the error.
     */
    public static ImageBlur parse(String shape, double sigma, String option) {
        String[] part = shape.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
        int[] v = new int[3];
        v[2] = 1;
        try {
            if (part.length < 2 || part.length > 3) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < part.length; i++) {
                v[i] = Integer.parseInt(part[i]);
            }
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(option,
                    "must be HEIGHTxWIDTH or HEIGHTxWIDTHxCHANNELS in pixels (e.g. 28x28 or 32x32x3), got '" + shape + "'");
        }
        return new ImageBlur(v[0], v[1], v[2], sigma);
    }

    /** Values per row that this shape needs. */
    public int features() {
        return height * width * channels;
    }

    /** The blurred copy of x (x itself is not changed); rows are independent and run on the pool. */
    public FloatMatrix apply(ForkJoinPool pool, FloatMatrix x) {
        if (x.cols() != features()) {
            throw new DataException("the image shape " + height + "x" + width + "x" + channels + " needs "
                    + features() + " features per row, the data has " + x.cols());
        }
        float[] kernel = kernel();
        int[] rowsTaps = taps(height, kernel.length / 2);
        int[] colsTaps = taps(width, kernel.length / 2);
        int d = features();
        float[] in = x.data();
        float[] out = new float[in.length];
        Parallel.forRows(pool, x.rows(), (from, to) -> {
            float[] across = new float[d];
            for (int i = from; i < to; i++) {
                // along each image row (positions a pixel apart), then along each column (an image row apart)
                pass(in, i * d, across, 0, kernel, colsTaps, height, width, width * channels, channels);
                pass(across, 0, out, i * d, kernel, rowsTaps, width, height, channels, width * channels);
            }
        });
        return new FloatMatrix(x.rows(), x.cols(), out);
    }

    /** The normalized Gaussian weights at -r..r, r = floor(4 sigma + 0.5), summing to 1. */
    float[] kernel() {
        int r = (int) (TRUNCATE * sigma + 0.5);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int t = -r; t <= r; t++) {
            w[t + r] = Math.exp(-0.5 * t * t / (sigma * sigma));
            sum += w[t + r];
        }
        float[] k = new float[w.length];
        for (int t = 0; t < w.length; t++) {
            k[t] = (float) (w[t] / sum);
        }
        return k;
    }

    /**
     * For each position p of a line of {@code length} and each offset t in -r..r, the mirrored position
     * p + t reads (taps[p * (2r + 1) + t + r]), so the inner loop has no edge tests. Mirroring repeats the
     * edge (-1 reads 0, length reads length - 1) and folds again for kernels longer than the line.
     */
    private static int[] taps(int length, int r) {
        int span = 2 * r + 1;
        int[] taps = new int[length * span];
        for (int p = 0; p < length; p++) {
            for (int t = -r; t <= r; t++) {
                int q = p + t;
                int period = 2 * length;
                q = Math.floorMod(q, period);
                if (q >= length) {
                    q = period - 1 - q;
                }
                taps[p * span + t + r] = q;
            }
        }
        return taps;
    }

    /**
     * One 1-D pass over one image: {@code lines} lines whose starts are {@code lineStep} values apart, each of
     * {@code length} positions {@code step} values apart, for each channel (channels sit next to each
     * other). A gather over precomputed taps, so the passes along rows and along columns share it.
     */
    private void pass(float[] src, int srcOff, float[] dst, int dstOff, float[] kernel, int[] taps, int lines,
                      int length, int lineStep, int step) {
        int span = kernel.length;
        for (int line = 0; line < lines; line++) {
            int base = line * lineStep;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < length; p++) {
                    float s = 0;
                    int tap = p * span;
                    for (int t = 0; t < span; t++) {
                        s += kernel[t] * src[srcOff + base + c + taps[tap + t] * step];
                    }
                    dst[dstOff + base + c + p * step] = s;
                }
            }
        }
    }
}
