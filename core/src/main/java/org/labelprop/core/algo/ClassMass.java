package org.labelprop.core.algo;

/**
 * The final decisions every propagation result goes through, as pieces that also work block by block (the
 * Spark engine sums the mass over blocks, then scales each block): rows normalized to distributions, and
 * class mass normalization (Zhu, Ghahramani and Lafferty 2003), which scales each class column over the
 * unlabeled rows so its total mass matches the class's share among the labeled rows, countering the pull of
 * large or dense classes.
 */
public final class ClassMass {
    private ClassMass() {
    }

    /** Each row of a row-major n x c matrix divided by its sum; rows summing to 0 are left as they are. */
    public static float[] normalizeRows(float[] y, int c) {
        for (int i = 0; i < y.length / c; i++) {
            normalizeRow(y, i, c);
        }
        return y;
    }

    /** Row {@code i} of a row-major n x c matrix divided by its sum; left as it is when the sum is 0. */
    public static void normalizeRow(float[] y, int i, int c) {
        double s = 0;
        for (int k = 0; k < c; k++) {
            s += y[i * c + k];
        }
        if (s > 0) {
            for (int k = 0; k < c; k++) {
                y[i * c + k] = (float) (y[i * c + k] / s);
            }
        }
    }

    /** Row {@code i} of the unlabeled rows scaled by {@link #scales}, column by column. */
    public static void scaleRow(float[] y, int i, int c, double[] scale) {
        for (int k = 0; k < c; k++) {
            y[i * c + k] = (float) (y[i * c + k] * scale[k]);
        }
    }

    /**
     * The factor for each class column of the unlabeled rows: prior_k x total / mass_k, with mass_k the
     * column's sum over the unlabeled rows and total their sum over classes; 0 for a class with no mass.
     */
    public static double[] scales(double[] unlabeledMass, double[] priors) {
        double total = 0;
        for (double m : unlabeledMass) {
            total += m;
        }
        double[] scale = new double[unlabeledMass.length];
        for (int k = 0; k < scale.length; k++) {
            scale[k] = unlabeledMass[k] > 0 ? priors[k] * total / unlabeledMass[k] : 0;
        }
        return scale;
    }
}
