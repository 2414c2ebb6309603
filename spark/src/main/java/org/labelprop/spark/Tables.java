package org.labelprop.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.io.FeatureReader;
import org.labelprop.core.io.LabelReader;

/**
 * The files {@link Main} reads and writes, as Spark tables: Parquet as is, text in the CLI's formats (one
 * row per line, comma, tab or space separated, an optional header, '#' comments), {@code .npy} through the
 * driver. Rows of text and .npy files are numbered from 0 in file order: that number is the row's id, and
 * the {@code row} column of the predictions, as in the CLI.
 */
final class Tables {
    private static final Pattern SEPARATOR = Pattern.compile("[,\\t ]+");
    static final StructType FEATURE_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private Tables() {
    }

    static boolean isParquet(String path) {
        return path.endsWith(".parquet") || path.endsWith(".parquet/");
    }

    /** Features (id, features[, label]) with the labels file's labels joined by row when one is given. */
    static Dataset<Row> features(SparkSession spark, String path, String labels) throws IOException {
        Dataset<Row> rows;
        if (isParquet(path)) {
            rows = spark.read().parquet(path);
            if (!Arrays.asList(rows.columns()).contains("features")) {
                throw new DataException(path + " has no column 'features' (array of float); columns: "
                        + String.join(", ", rows.columns()));
            }
            if (!Arrays.asList(rows.columns()).contains("id")) {
                rows = numbered(spark, rows.select("features").javaRDD().map(r -> r.get(0)), FEATURE_SCHEMA);
            }
        } else if (path.endsWith(".npy")) {
            rows = npy(spark, path);
        } else {
            JavaRDD<String> lines = dataLines(spark, path);
            int d = SEPARATOR.split(lines.first().trim()).length;
            rows = numbered(spark, lines.map(line -> parseRow(path, line, d)), FEATURE_SCHEMA);
        }
        if (labels == null) {
            if (!Arrays.asList(rows.columns()).contains("label")) {
                throw new DataException(path + " has no label column; give --labels");
            }
            return rows;
        }
        Dataset<Row> l = labels(spark, labels);
        long n = rows.count();
        long m = l.count();
        if (n != m) {
            throw new DataException(labels + " has " + m + " labels but " + path + " " + n + " rows; give one label "
                    + "(or -1) per row");
        }
        Dataset<Row> joined = rows.drop("label").join(l, "id").orderBy("id");
        long matched = joined.count();
        if (matched != n) {
            throw new DataException(labels + " gives labels to rows by id (row number for text files), but only "
                    + matched + " of the " + n + " ids in " + path + " match");
        }
        return joined;
    }

    /** Labels (id, label): Parquet as is, text one per line numbered from 0 ({@code -1}, empty or NaN unlabeled). */
    static Dataset<Row> labels(SparkSession spark, String path) {
        if (isParquet(path)) {
            return spark.read().parquet(path).select(col("id").cast("long"), col("label").cast("int"));
        }
        JavaRDD<String> lines = spark.read().textFile(path).javaRDD()
                .zipWithIndex().filter(t -> t._2() > 0 || isNumeric(t._1()) || t._1().isBlank())
                .map(t -> t._1());
        return numbered(spark, lines.zipWithIndex().map(t -> parseLabel(path, t._2(), t._1())), SparkGraph.NODE_SCHEMA);
    }

    /** Edges (src, dst, weight): Parquet as is, text lines {@code src,dst[,weight]}. */
    static Dataset<Row> edges(SparkSession spark, String path) {
        if (isParquet(path)) {
            return spark.read().parquet(path);
        }
        JavaRDD<Row> rows = dataLines(spark, path).map(line -> {
            String[] f = SEPARATOR.split(line.trim());
            if (f.length < 2 || f.length > 3) {
                throw new DataException(path + ": line '" + line + "' should be src,dst[,weight]");
            }
            try {
                return RowFactory.create(Long.parseLong(f[0]), Long.parseLong(f[1]),
                        f.length == 3 ? Float.parseFloat(f[2]) : 1f);
            } catch (NumberFormatException e) {
                throw new DataException(path + ": line '" + line + "' should be src,dst[,weight] with integer ids");
            }
        });
        return spark.createDataFrame(rows, SparkGraph.EDGE_SCHEMA);
    }

    /** Lines that hold data: not blank, not a '#' comment, not a header in the first line. */
    private static JavaRDD<String> dataLines(SparkSession spark, String path) {
        return spark.read().textFile(path).javaRDD().zipWithIndex()
                .filter(t -> !t._1().isBlank() && !t._1().startsWith("#") && (t._2() > 0 || isNumeric(t._1())))
                .map(t -> t._1());
    }

    private static boolean isNumeric(String line) {
        String first = SEPARATOR.split(line.trim())[0];
        try {
            Double.parseDouble(first);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float[] parseRow(String path, String line, int d) {
        String[] f = SEPARATOR.split(line.trim());
        if (f.length != d) {
            throw new DataException(path + ": a row has " + f.length + " values, the first " + d + ": '" + line + "'");
        }
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
            try {
                x[j] = Float.parseFloat(f[j]);
            } catch (NumberFormatException e) {
                throw new DataException(path + ": '" + f[j] + "' is not a number in row '" + line + "'");
            }
        }
        return x;
    }

    /** A label as core's LabelReader reads text: empty or NaN unlabeled, then core's rule for the value. */
    private static int parseLabel(String path, long row, String line) {
        String v = line.trim();
        double value;
        try {
            value = v.isEmpty() || v.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DataException(path + ": label '" + v + "' should be an integer >= 0, or -1 for unlabeled");
        }
        return LabelReader.toLabel(path, row + 1, value);
    }

    /** Values numbered from 0 in order as the first column of rows with {@code schema}. */
    private static <T> Dataset<Row> numbered(SparkSession spark, JavaRDD<T> values, StructType schema) {
        return spark.createDataFrame(values.zipWithIndex().map(t -> RowFactory.create(t._2(), t._1())), schema);
    }

    /** A .npy file read on the driver (from any Hadoop path), then spread over the cluster. */
    private static Dataset<Row> npy(SparkSession spark, String path) throws IOException {
        Path source = new Path(path);
        FileSystem fs = source.getFileSystem(spark.sparkContext().hadoopConfiguration());
        java.nio.file.Path local = java.nio.file.Files.createTempFile("labelprop-", ".npy");
        try {
            fs.copyToLocalFile(false, source, new Path(local.toUri()), true);
            FloatMatrix x = FeatureReader.read(local);
            List<Row> rows = new ArrayList<>(x.rows());
            for (int i = 0; i < x.rows(); i++) {
                rows.add(RowFactory.create((long) i, Arrays.copyOfRange(x.data(), i * x.cols(), (i + 1) * x.cols())));
            }
            int slices = Math.max(1, new JavaSparkContext(spark.sparkContext()).defaultParallelism());
            return spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(rows, slices),
                    FEATURE_SCHEMA);
        } finally {
            java.nio.file.Files.deleteIfExists(local);
        }
    }

    /**
     * The CLI's prediction columns (row, label, confidence) in row order, as CSV part files with a header or
     * as Parquet: written under a temporary name beside {@code output} and renamed when complete, so an
     * interrupted run leaves no half-written result under the name asked for.
     */
    static void writePredictions(Dataset<Row> predictions, String output, FileSystem fs) throws IOException {
        Path target = new Path(output);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        Dataset<Row> columns = predictions.select(col("id").as("row"), col("label"), col("confidence")).orderBy("row");
        try {
            if (isParquet(output)) {
                columns.write().parquet(temporary.toString());
            } else {
                columns.write().option("header", "true").csv(temporary.toString());
            }
            if (!fs.rename(temporary, target)) {
                throw new DataException("could not rename " + temporary + " to " + output);
            }
        } finally {
            fs.delete(temporary, true);
        }
    }
}
