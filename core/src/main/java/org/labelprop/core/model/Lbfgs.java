package org.labelprop.core.model;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a weak Wolfe line search by bracketing and
 * bisection (Lewis and Overton). Written here because no small optimizer is among the dependencies; the
 * weak Wolfe conditions keep every curvature pair s.y positive, so the two-loop recursion stays a descent
 * direction without safeguards.
 */
final class Lbfgs {
    /** A smooth function: fills {@code gradient} at {@code x} and returns the value there. */
    @FunctionalInterface
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /**
     * @param x the minimizer found
     * @param value the objective there
     * @param iterations accepted steps
     * @param converged the gradient norm fell below the tolerance, or the objective stopped decreasing at
     *                  the precision of double arithmetic, before the iteration limit
     */
    record Result(double[] x, double value, int iterations, boolean converged) {
    }

    private static final double ARMIJO = 1e-4;
    private static final double CURVATURE = 0.9;
    private static final int MAX_EVALUATIONS_PER_STEP = 40;
    /** Relative decrease below which further steps only chase rounding (scikit-learn's ftol, 64 eps). */
    private static final double FTOL = 64 * Math.ulp(1.0);

    private Lbfgs() {
    }

    /**
     * Minimizes {@code f} from {@code start} until the largest gradient component is at most {@code gtol},
     * or {@code maxIter} steps.
     */
    static Result minimize(Objective f, double[] start, double gtol, int maxIter, int memory) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        double[][] s = new double[memory][n];
        double[][] y = new double[memory][n];
        double[] rho = new double[memory];
        double[] alpha = new double[memory];
        int stored = 0;
        int newest = -1;
        double[] d = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int iter = 0;
        while (true) {
            if (maxAbs(g) <= gtol) {
                return new Result(x, fx, iter, true);
            }
            if (iter >= maxIter) {
                return new Result(x, fx, iter, false);
            }
            // Two-loop recursion: d = -H g.
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            for (int m = 0; m < stored; m++) {
                int j = Math.floorMod(newest - m, memory);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double gamma = stored == 0 ? 1.0 / Math.max(norm(g), 1e-300) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int i = 0; i < n; i++) {
                d[i] *= gamma;
            }
            for (int m = stored - 1; m >= 0; m--) {
                int j = Math.floorMod(newest - m, memory);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = dot(g, d);
            if (!(slope < 0)) {
                // Rounding broke the descent property: restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i] / Math.max(norm(g), 1e-300);
                }
                slope = dot(g, d);
            }
            double fNew = Double.NaN;
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            double t = 1;
            boolean accepted = false;
            for (int e = 0; e < MAX_EVALUATIONS_PER_STEP; e++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + t * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (!(fNew <= fx + ARMIJO * t * slope)) {
                    hi = t;
                } else if (dot(gNew, d) < CURVATURE * slope) {
                    lo = t;
                } else {
                    accepted = true;
                    break;
                }
                t = hi < Double.POSITIVE_INFINITY ? (lo + hi) / 2 : 2 * lo;
            }
            if (!accepted) {
                // No step satisfies both conditions at this precision: x is as good as double gets.
                return new Result(x, fx, iter, true);
            }
            iter++;
            int slot = (newest + 1) % memory;
            double sy = 0;
            for (int i = 0; i < n; i++) {
                s[slot][i] = xNew[i] - x[i];
                y[slot][i] = gNew[i] - g[i];
                sy += s[slot][i] * y[slot][i];
            }
            if (sy > 0) {
                // Wolfe guarantees this in exact arithmetic; a pair rounding made useless is dropped.
                newest = slot;
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, memory);
            }
            double decrease = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            double previous = fx;
            fx = fNew;
            if (decrease <= FTOL * Math.max(Math.max(Math.abs(previous), Math.abs(fx)), 1)) {
                return new Result(x, fx, iter, true);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
