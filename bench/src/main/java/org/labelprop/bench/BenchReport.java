package org.labelprop.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.labelprop.core.io.AtomicOutput;

/**
 * What a benchmark run measured: printed as it is measured (the scenario's name, then one line per stage
 * with its time and a note) and kept per scenario, in the order taken, for {@link #writeJson}. A stage's
 * time is kept as {@code <stage in snake case>_seconds} ("kNN graph (exact)": {@code knn_graph_exact_seconds}),
 * other figures under the key they were recorded with.
 */
public final class BenchReport {
    /** The key of the machine's own figures (bandwidth, random-read time) beside the scenarios' keys. */
    public static final String MACHINE = "machine";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private static final MathContext SIGNIFICANT = new MathContext(6);

    private final PrintWriter out;
    private final Map<String, Map<String, Number>> results = new LinkedHashMap<>();
    private final Map<String, String> machineFacts = new LinkedHashMap<>();

    BenchReport(PrintWriter out) {
        this.out = out;
    }

    static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    /** Prints a line of the run's own, outside any scenario. */
    void note(String format, Object... args) {
        out.printf(format + "%n", args);
    }

    /** A scenario starts: its name as a heading. */
    void begin(String scenario) {
        out.println();
        out.println(scenario);
    }

    /** A stage that started at {@code nanoTime} has just ended. */
    void stage(String scenario, String stage, long nanoTime, String note) {
        stage(scenario, stage, secondsSince(nanoTime), note);
    }

    void stage(String scenario, String stage, double seconds, String note) {
        String key = stage.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "").toLowerCase(Locale.ROOT);
        record(scenario, key + "_seconds", seconds);
        out.printf("  %-34s %8.2f s   %s%n", stage, seconds, note);
    }

    /** A figure that is not a stage's time, printed as {@code value} (formatted with its unit) after the label. */
    void figure(String label, String value) {
        out.printf("  %-34s %s%n", label, value);
    }

    /** A fact about the machine that is text (instruction set, vector width, JDK), written under {@link #MACHINE}. */
    void describeMachine(String key, String text) {
        machineFacts.put(key, text);
    }

    void record(String scenario, String key, Number value) {
        results.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(key, value);
    }

    /**
     * Writes every figure recorded as one JSON object: the scenarios' ids (and {@link #MACHINE}) as keys, each
     * holding its figures in the order recorded. Non-integer figures keep 6 significant digits; one that
     * could not be measured (NaN, e.g. the time per step of a run of one step) is null.
     */
    public void writeJson(Path file) throws IOException {
        JsonObject root = new JsonObject();
        results.forEach((scenario, figures) -> {
            JsonObject o = new JsonObject();
            if (scenario.equals(MACHINE)) {
                machineFacts.forEach(o::addProperty);
            }
            figures.forEach((key, value) -> o.add(key, json(value)));
            root.add(scenario, o);
        });
        byte[] text = (GSON.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicOutput.write(file, o -> o.write(text));
    }

    private static JsonElement json(Number value) {
        if (value instanceof Double || value instanceof Float) {
            double v = value.doubleValue();
            return Double.isFinite(v) ? new JsonPrimitive(new BigDecimal(v).round(SIGNIFICANT).doubleValue())
                    : JsonNull.INSTANCE;
        }
        return new JsonPrimitive(value);
    }
}
