package org.labelprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    @Test
    void stagesArePrintedAndKeptUnderSnakeCaseKeysAndNaNBecomesNull() throws IOException {
        StringWriter printed = new StringWriter();
        BenchReport report = new BenchReport(new PrintWriter(printed, true));
        report.stage("demo", "kNN graph (exact)", 1.23456789, "note");
        report.record("demo", "spreading_steps", 446);
        report.record("demo", "step_ms", Double.NaN);
        Path file = dir.resolve("out.json");
        report.writeJson(file);
        assertEquals(String.format("  %-34s %8.2f s   note%n", "kNN graph (exact)", 1.23456789), printed.toString());
        assertEquals("""
                {
                  "demo": {
                    "knn_graph_exact_seconds": 1.23457,
                    "spreading_steps": 446,
                    "step_ms": null
                  }
                }
                """, Files.readString(file));
    }
}
