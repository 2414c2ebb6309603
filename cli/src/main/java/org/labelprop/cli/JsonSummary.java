package org.labelprop.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import org.labelprop.core.ClassNames;
import org.labelprop.core.Evaluation;
import org.labelprop.core.Prediction;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.NeighborSearch;
import org.labelprop.core.search.NnDescent;

/**
 * The machine-readable summary of a run ({@code --json}): what the run prints for people, as one JSON object
 * with a fixed shape, so scripts need not parse the human-readable lines. Values that could not be measured
 * (the confidence of no rows) are null rather than NaN, which JSON lacks.
 */
final class JsonSummary {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private final JsonObject root = new JsonObject();

    JsonSummary(String command) throws IOException {
        root.addProperty("command", command);
        root.addProperty("version", Main.Version.number());
    }

    /** Sets a top-level member. */
    JsonSummary put(String name, JsonElement value) {
        root.add(name, value);
        return this;
    }

    JsonSummary put(String name, Number value) {
        return put(name, number(value));
    }

    JsonSummary put(String name, String value) {
        return put(name, value == null ? JsonNull.INSTANCE : new JsonPrimitive(value));
    }

    JsonSummary put(String name, boolean value) {
        return put(name, new JsonPrimitive(value));
    }

    /**
     * An options record as the library holds it after defaults and presets, one member per component: what
     * the run really used, not what was typed. Enums are spelled as on the command line.
     */
    static JsonElement options(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Record r) {
            JsonObject o = new JsonObject();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    o.add(c.getName(), options(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("record component " + c + " cannot be read", e);
                }
            }
            return o;
        }
        if (value instanceof NeighborSearch search) {
            JsonObject o = new JsonObject();
            o.addProperty("method", search instanceof InvertedFile ? "ivf" : search instanceof NnDescent ? "nndescent"
                    : search.exact() ? "exact" : search.toString());
            if (search instanceof InvertedFile ivf) {
                o.add("options", options(ivf.options()));
            } else if (search instanceof NnDescent nn) {
                o.add("options", options(nn.options()));
            }
            return o;
        }
        if (value instanceof Enum<?> e) {
            return new JsonPrimitive(Choice.spell(e));
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive(value.toString());
    }

    /** Seconds per stage, in the order they ran. */
    static JsonObject stages(Stages stages) {
        JsonObject o = new JsonObject();
        stages.seconds().forEach((stage, s) -> o.add(stage, number(s)));
        return o;
    }

    /** The class names in label order, or null when the labels are numbers. */
    static JsonElement classNames(ClassNames names) {
        if (!names.named()) {
            return JsonNull.INSTANCE;
        }
        JsonArray a = new JsonArray();
        names.names().forEach(a::add);
        return a;
    }

    /**
     * Predicted class counts (by label, as {@code names} calls it) and the confidence's min, median and mean
     * over {@code rows}.
     */
    static JsonObject prediction(Prediction p, int[] rows, ClassNames names) {
        JsonObject o = new JsonObject();
        o.addProperty("rows", rows.length);
        long[] counts = p.classCounts(rows);
        JsonObject classes = new JsonObject();
        for (int c = 0; c < p.classCount(); c++) {
            classes.addProperty(names.name(p.classes()[c]), counts[c]);
        }
        o.add("class_counts", classes);
        o.addProperty("no_label", counts[p.classCount()]);
        Prediction.ConfidenceSummary s = p.confidenceSummary(rows);
        JsonObject confidence = new JsonObject();
        confidence.add("min", number(s.min()));
        confidence.add("median", number(s.median()));
        confidence.add("mean", number(s.mean()));
        o.add("confidence", confidence);
        return o;
    }

    /**
     * Accuracy, per-class precision, recall, F1 and rows, and the confusion matrix (last column: no label);
     * each class a number, or its name when the labels are names.
     */
    static JsonObject evaluation(Evaluation e, String truthFile, ClassNames names) {
        JsonObject o = new JsonObject();
        o.addProperty("truth", truthFile);
        o.addProperty("scored", e.scored());
        o.add("accuracy", number(e.accuracy()));
        JsonArray perClass = new JsonArray();
        JsonArray confusion = new JsonArray();
        int c = e.classCount();
        for (int t = 0; t < c; t++) {
            JsonObject row = new JsonObject();
            if (names.named()) {
                row.addProperty("class", names.name(e.classes()[t]));
            } else {
                row.addProperty("class", e.classes()[t]);
            }
            row.add("precision", number(e.precision(t)));
            row.add("recall", number(e.recall(t)));
            row.add("f1", number(e.f1(t)));
            JsonArray counts = new JsonArray();
            long rows = 0;
            for (int q = 0; q <= c; q++) {
                counts.add(e.count(t, q));
                rows += e.count(t, q);
            }
            row.addProperty("rows", rows);
            perClass.add(row);
            confusion.add(counts);
        }
        o.add("classes", perClass);
        o.add("confusion", confusion);
        return o;
    }

    static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(number(v));
        }
        return a;
    }

    private static JsonElement number(Number value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        double d = value.doubleValue();
        return Double.isFinite(d) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }

    /** Writes the document as UTF-8, ending with a line break. */
    void write(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        GSON.toJson(root, w);
        w.write('\n');
        w.flush();
    }
}
