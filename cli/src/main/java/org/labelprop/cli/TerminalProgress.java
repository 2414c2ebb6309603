package org.labelprop.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.labelprop.core.Progress;

/**
 * A one-line percentage on stderr, redrawn at most five times a second, and only when stderr is a
 * terminal: logs and pipes get no carriage returns.
 */
final class TerminalProgress implements Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong();
    private volatile String stage = "";
    private volatile long total = 1;

    private TerminalProgress(PrintStream err) {
        this.err = err;
    }

    /** Progress on stderr when it is a terminal, otherwise nothing. */
    static Progress forStderr() {
        return System.console() != null ? new TerminalProgress(System.err) : Progress.NONE;
    }

    @Override
    public void start(String name, long units) {
        stage = name;
        total = Math.max(units, 1);
        done.set(0);
        lastDraw.set(0);
    }

    @Override
    public void advance(long amount) {
        long now = System.nanoTime();
        long d = done.addAndGet(amount);
        long last = lastDraw.get();
        if (now - last > REDRAW_NANOS && lastDraw.compareAndSet(last, now)) {
            synchronized (this) {
                err.printf("\r%s: %3d%%", stage, Math.min(100, 100 * d / total));
                err.flush();
            }
        }
    }

    @Override
    public synchronized void finish() {
        // Clear the line so the next message starts clean.
        err.print("\r\033[2K");
        err.flush();
    }
}
