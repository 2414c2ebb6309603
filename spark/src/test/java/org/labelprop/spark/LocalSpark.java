package org.labelprop.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM (starting one costs seconds): local[2], no UI, few shuffle
 * partitions, everything bound to 127.0.0.1.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("labelprop-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** Stops the shared session (a JVM holds one SparkContext at a time); the next {@link #session()} starts anew. */
    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
