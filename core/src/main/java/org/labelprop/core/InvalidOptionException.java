package org.labelprop.core;

/**
 * An option value outside its allowed range (an alpha of 1.5, k of 0): the message names the option as the
 * command line spells it. The CLI reports it as a usage error (exit status 2), other DataExceptions as data
 * errors (1).
 */
public class InvalidOptionException extends DataException {
    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message);
    }
}
