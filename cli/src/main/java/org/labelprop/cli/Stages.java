package org.labelprop.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Times the named stages of a job, in order, for the summary a run prints. */
final class Stages {
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    <T> T time(String stage, Callable<T> work) throws Exception {
        long t0 = System.nanoTime();
        try {
            return work.call();
        } finally {
            seconds.merge(stage, (System.nanoTime() - t0) / 1e9, Double::sum);
        }
    }

    /** Seconds per stage, in the order the stages first ran. */
    Map<String, Double> seconds() {
        return java.util.Collections.unmodifiableMap(seconds);
    }

    double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    void print(PrintWriter out, String indent) {
        seconds.forEach((stage, s) -> out.printf("%s%-24s %8.2f s%n", indent, stage, s));
        out.printf("%s%-24s %8.2f s%n", indent, "total", total());
    }
}
