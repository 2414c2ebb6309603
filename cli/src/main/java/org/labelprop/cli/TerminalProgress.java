package org.labelprop.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.labelprop.core.Progress;

/**
 * A one-line percentage with the time left on stderr, redrawn at most five times a second, and only when
 * stderr is a terminal: logs and pipes get no carriage returns.
 *
 * <p>An iterative stage ({@link #step}) shows how close it is to converging rather than how far it is through
 * its step limit, which it seldom reaches: the change per step falls about geometrically, so the share of the
 * way from the first step's change down to the target, on a log scale, grows about linearly with the steps.
 * The display shows whichever of that and the share of the limit is further, never moving back, and draws
 * 100% on the step that converges.
 */
final class TerminalProgress implements Progress {
    private static final long REDRAW_NANOS = 200_000_000L;
    /** Before this much time and work an estimate of the time left swings too much to be worth showing. */
    private static final long ETA_AFTER_NANOS = 1_000_000_000L;
    private static final double ETA_AFTER_FRACTION = 0.01;

    private final PrintStream err;
    private final LongSupplier clock;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong();
    private volatile String stage = "";
    private volatile long total = 1;
    private volatile long started;
    /** The first step's measure, and the furthest share towards convergence shown so far; steps only. */
    private double firstMeasure;
    private volatile double converging;

    TerminalProgress(PrintStream err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
    }

    /** Progress on stderr when it is a terminal, otherwise nothing. */
    static Progress forStderr() {
        return System.console() != null ? new TerminalProgress(System.err, System::nanoTime) : Progress.NONE;
    }

    @Override
    public synchronized void start(String name, long units) {
        stage = name;
        total = Math.max(units, 1);
        done.set(0);
        started = clock.getAsLong();
        lastDraw.set(started);
        firstMeasure = Double.NaN;
        converging = 0;
    }

    @Override
    public void advance(long amount) {
        long d = done.addAndGet(amount);
        maybeDraw(Math.min(1.0, (double) d / total), false);
    }

    @Override
    public void step(double measure, double target) {
        long d = done.incrementAndGet();
        boolean converged = false;
        if (target > 0 && measure >= 0) {
            synchronized (this) {
                if (Double.isNaN(firstMeasure)) {
                    firstMeasure = measure;
                }
                converged = measure < target;
                converging = Math.max(converging, converged ? 1.0 : towards(firstMeasure, measure, target));
            }
        }
        maybeDraw(Math.max(converging, Math.min(1.0, (double) d / total)), converged);
    }

    /** How far {@code measure} has come from {@code first} down to {@code target}, on a log scale, in [0, 1). */
    static double towards(double first, double measure, double target) {
        if (!(first > target) || !(measure > 0)) {
            return 0;
        }
        double share = Math.log(first / measure) / Math.log(first / target);
        return Math.max(0, Math.min(share, Math.nextDown(1.0)));
    }

    private void maybeDraw(double fraction, boolean force) {
        long now = clock.getAsLong();
        long last = lastDraw.get();
        if ((force || now - last > REDRAW_NANOS) && lastDraw.compareAndSet(last, now)) {
            String text = line(stage, fraction, now - started);
            synchronized (this) {
                err.print("\r\033[2K" + text);
                err.flush();
            }
        }
    }

    /** "stage:  42%, 0:13 left": the time left at the rate so far, once there is enough to go on. */
    static String line(String stage, double fraction, long elapsedNanos) {
        // Rounding error must not turn 40% into 39%, nor may anything short of done show 100%.
        int shown = fraction >= 1 ? 100 : (int) Math.min(99, Math.floor(100 * fraction + 1e-9));
        String percent = String.format(Locale.ROOT, "%s: %3d%%", stage, shown);
        if (fraction >= 1 || fraction < ETA_AFTER_FRACTION || elapsedNanos < ETA_AFTER_NANOS) {
            return percent;
        }
        long left = Math.round(elapsedNanos / 1e9 * (1 - fraction) / fraction);
        return percent + ", " + duration(left) + " left";
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    @Override
    public synchronized void finish() {
        // Clear the line so the next message starts clean.
        err.print("\r\033[2K");
        err.flush();
    }
}
