package org.labelprop.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.InvalidOptionException;

class ImageBlurTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(3);

    /** The 5 x 6 image (7y + 3x) mod 5. */
    private static float[] pattern() {
        float[] img = new float[30];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                img[y * 6 + x] = (y * 7 + x * 3) % 5;
            }
        }
        return img;
    }

    private static float[] blur(ImageBlur blur, float[] image) {
        return blur.apply(POOL, new FloatMatrix(1, image.length, image)).data();
    }

    @Test
    void matchesScipyGaussianFilter() {
        // scipy 1.10: np.round(scipy.ndimage.gaussian_filter(img, 1.0), 6)
        float[] sigma1 = {
            1.2455f, 1.623665f, 2.03577f, 2.360968f, 2.096631f, 1.46805f,
            1.758795f, 1.720257f, 1.855783f, 2.155435f, 2.255795f, 2.096796f,
            2.288774f, 2.016419f, 1.793335f, 1.877963f, 2.154365f, 2.366502f,
            2.362564f, 2.276895f, 2.019571f, 1.761898f, 1.841432f, 2.105307f,
            2.344367f, 2.362765f, 2.295541f, 1.843736f, 1.651777f, 1.963345f};
        assertArrayEquals(sigma1, blur(new ImageBlur(5, 6, 1, 1.0), pattern()), 2e-6f);
        // sigma 3: the kernel (radius 12) is longer than the image, so the mirror folds again
        float[] sigma3 = {
            1.955086f, 1.960982f, 1.970788f, 1.98148f, 1.990181f, 1.994965f,
            1.972323f, 1.975972f, 1.982042f, 1.988667f, 1.994063f, 1.997033f,
            2.000102f, 2.000108f, 2.000122f, 2.000145f, 2.000169f, 2.000186f,
            2.027742f, 2.024097f, 2.018035f, 2.011424f, 2.006043f, 2.003083f,
            2.044748f, 2.038842f, 2.029013f, 2.018285f, 2.009544f, 2.004732f};
        assertArrayEquals(sigma3, blur(new ImageBlur(5, 6, 1, 3.0), pattern()), 2e-6f);
    }

    @Test
    void channelsAreBlurredApart() {
        // channel 0 the pattern, channel 1 the ramp 0..29; scipy: gaussian_filter(img, (0.7, 0.7, 0))[:, :, 1]
        float[] pattern = pattern();
        float[] image = new float[60];
        for (int p = 0; p < 30; p++) {
            image[2 * p] = pattern[p];
            image[2 * p + 1] = p;
        }
        float[] ramp = {
            1.641843f, 2.417089f, 3.407353f, 4.407236f, 5.3975f, 6.172745f,
            6.293316f, 7.068562f, 8.058826f, 9.058709f, 10.048973f, 10.824218f,
            12.234549f, 13.009795f, 14.000059f, 14.999941f, 15.990205f, 16.765451f,
            18.175782f, 18.951027f, 19.941291f, 20.941174f, 21.931438f, 22.706684f,
            22.827255f, 23.6025f, 24.592764f, 25.592647f, 26.582911f, 27.358157f};
        float[] out = blur(new ImageBlur(5, 6, 2, 0.7), image);
        float[] alone = blur(new ImageBlur(5, 6, 1, 0.7), pattern);
        for (int p = 0; p < 30; p++) {
            assertEquals(ramp[p], out[2 * p + 1], 1e-5f, "ramp channel at " + p);
            assertEquals(alone[p], out[2 * p], 1e-6f, "pattern channel at " + p);
        }
    }

    @Test
    void equalsADirectTwoDimensionalConvolutionOnEveryRow() {
        Random r = new Random(5);
        int h = 9;
        int w = 7;
        int c = 3;
        int n = 40;
        float[] x = new float[n * h * w * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        ImageBlur blur = new ImageBlur(h, w, c, 1.3);
        float[] out = blur.apply(POOL, new FloatMatrix(n, h * w * c, x.clone())).data();
        int radius = (int) (4 * 1.3 + 0.5);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double s = 0;
                        double norm = 0;
                        for (int dy = -radius; dy <= radius; dy++) {
                            for (int dx = -radius; dx <= radius; dx++) {
                                double g = Math.exp(-(dy * dy + dx * dx) / (2 * 1.3 * 1.3));
                                norm += g;
                                s += g * x[i * h * w * c + (mirror(y + dy, h) * w + mirror(xx + dx, w)) * c + ch];
                            }
                        }
                        assertEquals(s / norm, out[i * h * w * c + (y * w + xx) * c + ch], 1e-5,
                                "row " + i + " pixel " + y + "," + xx + " channel " + ch);
                    }
                }
            }
        }
    }

    /** Half-sample mirror, edges repeated, written as reflections until inside. */
    private static int mirror(int q, int length) {
        while (q < 0 || q >= length) {
            q = q < 0 ? -q - 1 : 2 * length - 1 - q;
        }
        return q;
    }

    @Test
    void keepsConstantImagesAndLeavesTheInputAlone() {
        float[] flat = new float[28 * 28];
        java.util.Arrays.fill(flat, 0.25f);
        float[] input = flat.clone();
        float[] out = blur(new ImageBlur(28, 28, 1, 2.0), input);
        for (float v : out) {
            assertEquals(0.25f, v, 1e-6f);
        }
        assertArrayEquals(flat, input, 0f);
    }

    @Test
    void parsesShapesAndRejectsBadOnes() {
        assertEquals(new ImageBlur(28, 28, 1, 1.0), ImageBlur.parse("28x28", 1.0, "--image"));
        assertEquals(new ImageBlur(32, 32, 3, 0.5), ImageBlur.parse("32X32x3", 0.5, "--image"));
        for (String bad : new String[] {"28", "28x", "x28", "28x28x3x1", "axb", "28*28"}) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class,
                    () -> ImageBlur.parse(bad, 1.0, "--image"));
            assertTrue(e.getMessage().contains("--image") && e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(InvalidOptionException.class, () -> new ImageBlur(0, 28, 1, 1.0));
        assertThrows(InvalidOptionException.class, () -> new ImageBlur(28, 28, 1, 0));
        assertThrows(InvalidOptionException.class, () -> new ImageBlur(28, 28, 1, Double.NaN));
        DataException e = assertThrows(DataException.class,
                () -> new ImageBlur(28, 28, 1, 1.0).apply(POOL, FloatMatrix.zeros(2, 100)));
        assertTrue(e.getMessage().contains("784") && e.getMessage().contains("100"), e.getMessage());
    }
}
