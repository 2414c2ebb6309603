package org.labelprop.core.backend;

import org.labelprop.core.DataException;

/** A backend cannot run on this machine; the message says why in one line. */
public class BackendUnavailableException extends DataException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
