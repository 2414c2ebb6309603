package org.labelprop.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.labelprop.core.DataException;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.io.AtomicOutput.IOConsumer;

/**
 * The output files of one run, checked before the computation and written together at its end.
 *
 * <p>{@link #add} checks a target up front: its directory exists and is writable, it is not a directory, and
 * it is neither an input nor another output (by path or, for existing files, {@link Files#isSameFile}).
 * {@link #commit} then writes every regular-file target to a hidden temporary file beside it, writes special
 * targets (a FIFO, a device, {@code -} for standard output) directly, and only when all of that succeeded
 * renames the temporaries into place: the outputs of a run land together or none does. A symlink is followed,
 * so its target is replaced and the link kept; a device node or FIFO is never replaced by a regular file.
 * Temporaries are deleted on failure, on {@link #close} and, for a JVM that is shut down mid-write, by a
 * shutdown hook; only a killed JVM (SIGKILL) can leave one behind.
 *
 * <p>Problems name the target by the option the user gave ({@code --out}), never by the temporary's path.
 */
public final class OutputSet implements AutoCloseable {
    /** The target name that means standard output, when the set was given one. */
    public static final String STANDARD_OUTPUT = "-";
    private static final int BUFFER = 1 << 16;
    private static final int MAX_LINKS = 40;
    private static final Set<Path> LIVE_TEMPORARIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path temp : LIVE_TEMPORARIES) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The JVM is going away; nothing better to do with a temporary that cannot be deleted.
                }
            }
        }, "labelprop-temporary-cleanup"));
    }

    private final OutputStream standardOutput;
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Target> targets = new LinkedHashMap<>();

    /** One output: the name it is reported by, where it was asked for, where bytes go, and what writes them. */
    private static final class Target {
        final String name;
        final Path requested;
        /** The path written, after following symlinks; null for standard output. */
        final Path resolved;
        final boolean regular;
        IOConsumer<OutputStream> body;
        Path temp;

        Target(String name, Path requested, Path resolved, boolean regular) {
            this.name = name;
            this.requested = requested;
            this.resolved = resolved;
            this.regular = regular;
        }

        String label() {
            return name == null ? requested.toString() : name + " " + requested;
        }
    }

    /**
     * @param standardOutput where a target named {@value #STANDARD_OUTPUT} is written (left open), or null if
     *     {@code -} is an ordinary file name
     */
    public OutputSet(OutputStream standardOutput) {
        this.standardOutput = standardOutput;
    }

    /** Declares an input file, which no output may replace; null is ignored. Call before {@link #add}. */
    public OutputSet input(String name, Path file) {
        if (file != null) {
            inputs.put(name, file);
        }
        return this;
    }

    /**
     * Declares and checks an output; null is ignored. {@code name} (an option such as {@code --out}, or null
     * for the path itself) is how problems are reported.
     *
     * @throws InvalidOptionException when the target cannot be written or would replace an input or output
     */
    public OutputSet add(String name, Path target) {
        if (target == null) {
            return this;
        }
        String key = name == null ? target.toString() : name;
        if (standardOutput != null && target.toString().equals(STANDARD_OUTPUT)) {
            for (Target t : targets.values()) {
                if (t.resolved == null) {
                    throw problem(name, target, "standard output is already " + t.label());
                }
            }
            targets.put(key, new Target(name, target, null, false));
            return this;
        }
        Path resolved = followLinks(name, target);
        if (Files.isDirectory(resolved)) {
            throw problem(name, target, "is a directory; expected a file name");
        }
        boolean exists = Files.exists(resolved);
        if (!exists) {
            Path dir = resolved.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw problem(name, target, "directory " + dir + " does not exist");
            }
            if (!Files.isWritable(dir)) {
                throw problem(name, target, "directory " + dir + " is not writable");
            }
        } else if (!Files.isWritable(resolved)) {
            throw problem(name, target, "is not writable");
        }
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (sameFile(resolved, input.getValue())) {
                throw problem(name, target, "is also the input " + input.getKey() + " " + input.getValue()
                        + "; writing it would destroy the input");
            }
        }
        for (Target t : targets.values()) {
            if (t.resolved != null && sameFile(resolved, t.resolved)) {
                throw problem(name, target, "is also the output " + t.label());
            }
        }
        boolean regular = !exists || Files.isRegularFile(resolved);
        // A regular file's directory must take the temporary beside it.
        if (regular && !Files.isWritable(resolved.getParent())) {
            throw problem(name, target, "directory " + resolved.getParent() + " is not writable");
        }
        targets.put(key, new Target(name, target, resolved, regular));
        return this;
    }

    /** Sets what the output declared under {@code name} holds; written on {@link #commit}. */
    public void content(String name, IOConsumer<OutputStream> body) {
        Target t = targets.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no output declared as " + name);
        }
        t.body = body;
    }

    /** Whether an output was declared under {@code name}. */
    public boolean has(String name) {
        return targets.containsKey(name);
    }

    /**
     * Writes every output that has content: regular files to temporaries, then special files directly, then
     * renames the temporaries into place. On failure no temporary remains and no regular target has changed.
     *
     * @throws DataException naming the output (and the reason, such as a full disk) when a write fails
     */
    public void commit() {
        List<Target> ready = new ArrayList<>();
        for (Target t : targets.values()) {
            if (t.body != null) {
                ready.add(t);
            }
        }
        try {
            for (Target t : ready) {
                if (t.regular) {
                    writeTemporary(t);
                }
            }
            for (Target t : ready) {
                if (!t.regular) {
                    writeDirect(t);
                }
            }
            for (Target t : ready) {
                if (t.regular) {
                    moveIntoPlace(t);
                }
            }
        } finally {
            close();
        }
    }

    /** Deletes any temporary not yet renamed into place. */
    @Override
    public void close() {
        for (Target t : targets.values()) {
            if (t.temp != null) {
                try {
                    Files.deleteIfExists(t.temp);
                } catch (IOException ignored) {
                    // Left for the shutdown hook.
                    continue;
                }
                LIVE_TEMPORARIES.remove(t.temp);
                t.temp = null;
            }
        }
    }

    private void writeTemporary(Target t) {
        // Not Files.createTempFile: it creates the file owner-only (0600), and the output would keep that mode.
        Path temp = t.resolved.resolveSibling("." + t.resolved.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        LIVE_TEMPORARIES.add(temp);
        t.temp = temp;
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), BUFFER)) {
            t.body.accept(out);
        } catch (IOException e) {
            throw writeFailed(t, e);
        }
    }

    private void writeDirect(Target t) {
        try {
            if (t.resolved == null) {
                OutputStream unclosable = new FilterOutputStream(standardOutput) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                try (OutputStream out = new BufferedOutputStream(unclosable, BUFFER)) {
                    t.body.accept(out);
                }
            } else {
                // No CREATE, no TRUNCATE: a FIFO or device is opened as it is.
                try (OutputStream out = new BufferedOutputStream(
                        Files.newOutputStream(t.resolved, StandardOpenOption.WRITE), BUFFER)) {
                    t.body.accept(out);
                }
            }
        } catch (IOException e) {
            throw writeFailed(t, e);
        }
    }

    private static void moveIntoPlace(Target t) {
        try {
            try {
                Files.move(t.temp, t.resolved, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(t.temp, t.resolved, StandardCopyOption.REPLACE_EXISTING);
            }
            LIVE_TEMPORARIES.remove(t.temp);
            t.temp = null;
        } catch (IOException e) {
            throw writeFailed(t, e);
        }
    }

    private static DataException writeFailed(Target t, IOException e) {
        // A FileSystemException's message starts with the temporary's path, which means nothing to the user.
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DataException(t.label() + ": could not write (" + reason + "); nothing was written", e);
    }

    /** The file the target names after following symlinks, as far as they lead (a dangling link's target). */
    private static Path followLinks(String name, Path target) {
        Path p = target.toAbsolutePath().normalize();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw problem(name, target, "too many levels of symbolic links");
            }
            try {
                p = p.resolveSibling(Files.readSymbolicLink(p)).toAbsolutePath().normalize();
            } catch (IOException e) {
                throw problem(name, target, "cannot read the symbolic link (" + e.getMessage() + ")");
            }
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return p;
            }
        }
        return p;
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static InvalidOptionException problem(String name, Path target, String what) {
        return name == null ? new InvalidOptionException(target.toString(), what)
                : new InvalidOptionException(name, target + ": " + what);
    }
}
