package org.labelprop.core;

/**
 * Bad input or an impossible request: the message is one line a user can act on, naming the file, row or
 * option and what was expected. The CLI prints it without a stack trace and exits with status 1.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The most characters of a user's text an error message repeats. */
    public static final int MAX_ECHO = 60;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Text from a user's file as an error shows it: quoted, control and format characters escaped (so no
     * terminal escape sequence or direction override reaches the terminal), and cut after {@value #MAX_ECHO} characters with the full length given.
     */
    public static String quote(CharSequence text) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(text.length(), MAX_ECHO);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (text.length() > MAX_ECHO) {
            b.append("... (").append(text.length()).append(" characters)");
        }
        return b.toString();
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
