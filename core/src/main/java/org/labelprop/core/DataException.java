package org.labelprop.core;

/**
 * Bad input or an impossible request: the message is one line a user can act on, naming the file, row or
 * option and what was expected. The CLI prints it without a stack trace and exits with status 1.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file: row R: message", rows counted from 1 as in an editor. */
    public static DataException atRow(String file, long row, String message) {
        return new DataException(file + ": row " + row + ": " + message);
    }

    /** "file: row R, column C: message", both counted from 1. */
    public static DataException atCell(String file, long row, int column, String message) {
        return new DataException(file + ": row " + row + ", column " + column + ": " + message);
    }
}
