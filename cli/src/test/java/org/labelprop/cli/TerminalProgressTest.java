package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line's text and when it is drawn, on a fake clock. */
class TerminalProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true), now::get);

    /** The line as last drawn. */
    private String shown() {
        String all = bytes.toString(StandardCharsets.UTF_8);
        return all.substring(all.lastIndexOf("\033[2K") + 4);
    }

    @Test
    void timeLeftFollowsTheRateSoFar() {
        progress.start("kNN graph", 200);
        now.addAndGet(10 * SECOND);
        progress.advance(50);
        assertEquals("kNN graph:  25%, 0:30 left", shown());
        now.addAndGet(4 * 60 * SECOND);
        progress.advance(50);
        assertEquals("kNN graph:  50%, 4:10 left", shown());
    }

    @Test
    void noEstimateInTheFirstSecondOrBeforeOnePercent() {
        assertEquals("s:  40%", TerminalProgress.line("s", 0.4, SECOND / 2));
        assertEquals("s:   0%", TerminalProgress.line("s", 0.005, 100 * SECOND));
        assertEquals("s: 100%", TerminalProgress.line("s", 1.0, 100 * SECOND));
        assertEquals("1:01:01", TerminalProgress.duration(3661));
    }

    @Test
    void redrawsAtMostFiveTimesASecond() {
        progress.start("kNN graph", 1000);
        now.addAndGet(SECOND);
        progress.advance(100);
        int drawn = bytes.size();
        now.addAndGet(SECOND / 10);
        progress.advance(100);
        assertEquals(drawn, bytes.size(), "a redraw 0.1 s after the last");
        now.addAndGet(SECOND / 10 + 1);
        progress.advance(100);
        assertTrue(bytes.size() > drawn);
        assertTrue(shown().startsWith("kNN graph:  30%"), shown());
    }

    @Test
    void convergenceIsShownOnALogScaleAndReaches100PercentWhenTheRunConverges() {
        progress.start("propagation", 1000);
        progress.step(1.0, 1e-5);
        now.addAndGet(SECOND);
        progress.step(1e-3, 1e-5);
        // log(1 / 1e-3) / log(1 / 1e-5) = 3/5, far beyond 2 of 1000 steps; 1 s for 60% leaves 0.67 s.
        assertEquals("propagation:  60%, 0:01 left", shown());
        now.addAndGet(SECOND);
        progress.step(0.5, 1e-5);
        assertTrue(shown().startsWith("propagation:  60%"), "a rising change does not move it back: " + shown());
        // Converging draws at once, without waiting for the redraw interval.
        progress.step(9e-6, 1e-5);
        assertEquals("propagation: 100%", shown());
    }

    @Test
    void stepsWithoutATargetCountAgainstTheLimit() {
        progress.start("propagation", 8);
        for (int i = 0; i < 6; i++) {
            now.addAndGet(SECOND);
            progress.step(1e-9, -1);
        }
        assertEquals("propagation:  75%, 0:02 left", shown());
    }

    @Test
    void towardsIsTheLogShareOfTheWayToTheTarget() {
        assertEquals(0.5, TerminalProgress.towards(1e-1, 1e-3, 1e-5), 1e-12);
        assertEquals(0, TerminalProgress.towards(1e-1, 1.0, 1e-5));
        assertTrue(TerminalProgress.towards(1e-1, 1e-5, 1e-5) < 1, "only converging shows 100%");
        assertEquals(0, TerminalProgress.towards(1e-6, 1e-7, 1e-5), "started below the target");
    }
}
