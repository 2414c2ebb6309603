package org.labelprop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;

/**
 * {@code -} as an input file: standard input, which at most one input option of a command may name.
 *
 * <p>Standard input is copied to a temporary regular file, read there and deleted on {@link #close}: the
 * readers then check declared sizes against a known length as for any file, and the file's name tells them
 * the format, which a pipe has no name for. The format is sniffed from the first bytes (after gzip, which the
 * readers detect themselves): NumPy's {@code \x93NUMPY} magic is .npy, an IDX magic (two zero bytes, a type
 * code, 1 to 3 dimensions) is IDX, anything else is text (CSV, TSV or whitespace separated, told apart by the
 * first row as for files). Graph and model files are recognised by their own headers.
 */
final class StandardInput implements AutoCloseable {
    static final String DASH = "-";
    /** The commands' help footer. */
    static final String HELP = "Any one input file may be - (standard input; its format is sniffed: .npy, IDX or "
            + "text, each possibly gzipped). With --out - only the predictions go to standard output.";
    /** What errors call the data read from standard input, instead of the temporary's path. */
    static final String NAME = "standard input";
    private static final int SNIFF = 6;
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final InputStream in;
    /** The option that names {@code -}, if any. */
    private String reader;
    private Path dir;
    private Path file;

    private StandardInput(InputStream in) {
        this.in = in;
    }

    /** Standard input for the inputs declared next with {@link #input}; nothing is read yet. */
    static StandardInput of(InputStream in) {
        return new StandardInput(in);
    }

    /**
     * Declares an input option's file (null when not given); standard input is read only when a reader asks
     * for the path {@code -}.
     *
     * @throws InvalidOptionException when a second option names {@code -}
     */
    StandardInput input(String option, Path file) {
        if (isDash(file)) {
            if (reader != null) {
                throw new InvalidOptionException(option, "- is standard input, which " + reader
                        + " - reads already; only one input can be -");
            }
            reader = option;
        }
        return this;
    }

    static boolean isDash(Path p) {
        return p != null && p.toString().equals(DASH);
    }

    /** The file to read for {@code given}: the copy of standard input for {@code -}, else {@code given}. */
    Path path(Path given) throws IOException {
        if (!isDash(given)) {
            return given;
        }
        if (file == null) {
            dir = Files.createTempDirectory("labelprop-stdin");
            Path copy = dir.resolve("stdin");
            Files.copy(in, copy);
            file = Files.move(copy, dir.resolve("stdin" + extension(head(copy))));
        }
        return file;
    }

    /** The error with the temporary's path replaced by {@value #NAME}. */
    RuntimeException rename(RuntimeException e) {
        if (file == null || !(e instanceof DataException) || e.getMessage() == null
                || !e.getMessage().contains(file.toString())) {
            return e;
        }
        String message = e.getMessage().replace(file.toString(), NAME);
        return e instanceof InvalidOptionException bad
                ? new InvalidOptionException(bad.parameter(), bad.problem().replace(file.toString(), NAME))
                : new DataException(message, e);
    }

    /** The first bytes of the data, decompressed when it is gzip (which the readers undo themselves). */
    private static byte[] head(Path copy) throws IOException {
        try (InputStream raw = Files.newInputStream(copy)) {
            byte[] head = raw.readNBytes(SNIFF);
            if (head.length < 2 || head[0] != (byte) 0x1f || head[1] != (byte) 0x8b) {
                return head;
            }
        }
        try (InputStream unzipped = new GZIPInputStream(Files.newInputStream(copy))) {
            return unzipped.readNBytes(SNIFF);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // Corrupt gzip: the reader reports it, naming standard input.
            return new byte[0];
        }
    }

    /** .npy or .idx by the magic bytes, else .txt. */
    private static String extension(byte[] head) {
        if (java.util.Arrays.equals(head, NPY_MAGIC)) {
            return ".npy";
        }
        boolean idxType = head.length >= 4 && head[0] == 0 && head[1] == 0
                && (head[2] == 0x08 || head[2] == 0x09 || (head[2] >= 0x0B && head[2] <= 0x0E));
        return idxType && head[3] >= 1 && head[3] <= 3 ? ".idx" : ".txt";
    }

    @Override
    public void close() throws IOException {
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
