package org.labelprop.core.backend;

/** A backend cannot run on this machine (no GPU, no driver, no kernels); the message says why in one line. */
public class BackendUnavailableException extends BackendException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
