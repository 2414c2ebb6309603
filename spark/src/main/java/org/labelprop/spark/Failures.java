package org.labelprop.spark;

import java.util.function.Supplier;
import org.labelprop.core.DataException;

/**
 * Bad input found inside a Spark task reaches the driver wrapped in a SparkException (with the task's stack
 * trace in its message); the library's entry points rethrow the DataException itself, so a caller sees the
 * same one-line error as on one machine.
 */
final class Failures {
    private Failures() {
    }

    /** The first DataException (or InvalidOptionException) among {@code e}'s causes, or null. */
    static DataException dataCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException d) {
                return d;
            }
        }
        return null;
    }

    /** Runs {@code work}, rethrowing a DataException found inside a failed job as itself. */
    static <T> T unwrapped(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            DataException cause = dataCause(e);
            throw cause != null ? cause : e;
        } catch (Exception e) {
            // Scala code throws checked SparkExceptions undeclared; javac only sees them as Exception.
            DataException cause = dataCause(e);
            if (cause != null) {
                throw cause;
            }
            throw new IllegalStateException(e);
        }
    }
}
