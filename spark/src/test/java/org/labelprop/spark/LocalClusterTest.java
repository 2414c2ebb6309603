package org.labelprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.labelprop.core.Progress;
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.Labels;
import org.labelprop.core.algo.PropagationResult;

/**
 * The job across JVMs: Spark's local-cluster master starts two executor processes from the Maven jars (a
 * SPARK_HOME whose jars/ links this test's classpath), and the result must still equal core's, with shuffle
 * bytes read from the other executor, not from a shared disk.
 */
class LocalClusterTest {
    @Test
    void spreadingAcrossTwoExecutorJvmsEqualsCore() throws IOException {
        String home = System.getenv("SPARK_HOME");
        Assumptions.assumeTrue(home != null && System.getenv("SPARK_SCALA_VERSION") != null,
                "SPARK_HOME and SPARK_SCALA_VERSION are set by the spark module's surefire configuration");
        String classpath = System.getProperty("java.class.path");
        linkJars(Path.of(home, "jars"), classpath);
        SparkPropagationTest.Case c = SparkPropagationTest.Case.curves(40, 21);
        LabelSpreading.Options options = new LabelSpreading.Options(0.9f, 1e-4, 200, Convergence.RELATIVE_CHANGE,
                true, true);
        PropagationResult core = LabelSpreading.fit(SparkPropagationTest.REFERENCE, c.graph(),
                Labels.of(c.labels(), "t"), options, Progress.NONE);

        LocalSpark.stop();
        SparkSession cluster = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("labelprop-local-cluster-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                // Executors on one host would otherwise read each other's shuffle files from disk.
                .config("spark.shuffle.readHostLocalDisk", "false")
                .config("spark.executor.extraClassPath", classpath)
                .config("spark.executor.extraJavaOptions", System.getProperty("labelprop.spark.executorOptions", ""))
                .getOrCreate();
        AtomicLong remote = new AtomicLong();
        cluster.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    remote.addAndGet(end.taskMetrics().shuffleReadMetrics().remoteBytesRead());
                }
            }
        });
        try {
            SparkPropagationTest.SPARK_OVERRIDE.set(cluster);
            SparkGraph g = c.sparkGraph(4);
            SparkPropagation.Result r = SparkPropagation.spread(g, options, SparkPropagation.Options.defaults());
            SparkPropagationTest.assertSame(core, r, c.labels().length);
            assertEquals(2, cluster.sparkContext().getExecutorIds().size(), "executors");
            assertTrue(remote.get() > 0, "shuffle bytes read from the other executor: " + remote.get());
        } finally {
            SparkPropagationTest.SPARK_OVERRIDE.remove();
            cluster.stop();
        }
    }

    /** SPARK_HOME/jars as the launcher expects it: the classpath's jars, linked. */
    private static void linkJars(Path jars, String classpath) throws IOException {
        Files.createDirectories(jars);
        List<String> entries = new ArrayList<>(List.of(classpath.split(File.pathSeparator)));
        for (String entry : entries) {
            Path p = Path.of(entry);
            Path link = jars.resolve(p.getFileName().toString());
            if (entry.endsWith(".jar") && Files.exists(p) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
    }
}
