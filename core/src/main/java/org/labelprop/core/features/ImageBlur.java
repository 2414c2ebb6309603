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
    /** Images per parallel task: small enough that 2-16 threads get even shares of 10^4-10^5 rows. */
    private static final int BLOCK_ROWS = 512;

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
        int r = kernel.length / 2;
        int[] colsAt = mirrored(width, r);
        int[] rowsAt = mirrored(height, r);
        int d = features();
        float[] in = x.data();
        float[] out = new float[in.length];
        Parallel.forRanges(pool, x.rows(), BLOCK_ROWS, (from, to) -> {
            float[] across = new float[d];
            float[] padded = new float[width + 2 * r];
            float[] sums = new float[width];
            for (int i = from; i < to; i++) {
                alongRows(in, i * d, across, kernel, colsAt, padded, sums);
                alongColumns(across, out, i * d, kernel, rowsAt);
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
     * Where position q of a line of {@code length} with r positions added at each end reads: q - r mirrored into
     * the line, the edge repeated (-1 reads 0, length reads length - 1), folding again for kernels longer than
     * the line.
     */
    private static int[] mirrored(int length, int r) {
        int[] at = new int[length + 2 * r];
        int period = 2 * length;
        for (int q = 0; q < at.length; q++) {
            int m = Math.floorMod(q - r, period);
            at[q] = m < length ? m : period - 1 - m;
        }
        return at;
    }

    /**
     * The horizontal pass over one image: each row and channel copied once into {@code padded} with its
     * mirrored margins, then summed tap by tap over the whole line (contiguous loops the JIT vectorizes;
     * each output is still the sum over taps in order, the same floats as one output at a time).
     */
    private void alongRows(float[] src, int srcOff, float[] dst, float[] kernel, int[] colsAt, float[] padded,
                           float[] sums) {
        int lineValues = width * channels;
        for (int y = 0; y < height; y++) {
            int line = srcOff + y * lineValues;
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < padded.length; q++) {
                    padded[q] = src[line + colsAt[q] * channels + c];
                }
                java.util.Arrays.fill(sums, 0f);
                for (int t = 0; t < kernel.length; t++) {
                    float k = kernel[t];
                    for (int p = 0; p < width; p++) {
                        sums[p] += k * padded[p + t];
                    }
                }
                for (int p = 0; p < width; p++) {
                    dst[y * lineValues + p * channels + c] = sums[p];
                }
            }
        }
    }

    /**
     * The vertical pass over one image into {@code dst} (zeros there): each output image row is the sum over
     * taps, in order, of the mirrored input rows, whole rows at a time.
     */
    private void alongColumns(float[] src, float[] dst, int dstOff, float[] kernel, int[] rowsAt) {
        int lineValues = width * channels;
        for (int y = 0; y < height; y++) {
            int to = dstOff + y * lineValues;
            for (int t = 0; t < kernel.length; t++) {
                float k = kernel[t];
                int from = rowsAt[y + t] * lineValues;
                for (int j = 0; j < lineValues; j++) {
                    dst[to + j] += k * src[from + j];
                }
            }
        }
    }
}
