package org.labelprop.core.backend;

/**
 * A backend cannot run on this machine (no GPU, no driver, no kernels); the message says why in one line.
 * {@link #absent()} tells a machine that simply lacks what the backend needs (no driver, no device: nothing
 * to fix) from one where it is there but fails (kernels not built, a device that cannot be set up).
 */
public class BackendUnavailableException extends BackendException {
    private static final long serialVersionUID = 1L;

    private final boolean absent;

    /** The backend's requirements are there but it cannot start. */
    public BackendUnavailableException(String message) {
        this(message, false);
    }

    private BackendUnavailableException(String message, boolean absent) {
        super(message);
        this.absent = absent;
    }

    /** This machine simply lacks what the backend needs (e.g. no GPU driver or no device). */
    public static BackendUnavailableException absent(String message) {
        return new BackendUnavailableException(message, true);
    }

    public boolean absent() {
        return absent;
    }
}
