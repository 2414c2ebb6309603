package org.labelprop.core.backend;

/**
 * A backend could not start or failed while computing (a missing driver, a CUDA error): a fault of the
 * machine or the library, not of the user's data. The message says what failed in one line.
 */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
