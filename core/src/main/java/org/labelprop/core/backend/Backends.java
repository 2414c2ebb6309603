package org.labelprop.core.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.labelprop.core.InvalidOptionException;

/**
 * Finds backends with ServiceLoader and picks one. {@code auto} takes the highest-priority backend that
 * loads; an explicit name, from the caller or else from the system property {@value #PROPERTY}, forces
 * that backend and fails clearly when it cannot run.
 */
public final class Backends {
    public static final String PROPERTY = "labelprop.backend";
    public static final String AUTO = "auto";

    private Backends() {
    }

    /** Every provider on the class path, most preferred first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return list;
    }

    /**
     * The line auto adds when it falls back to the reference backend, which is written for obviousness and
     * runs several times slower than cpu: a user who added only labelprop-core would otherwise never know.
     *
     * @param alone whether the reference backend is the only one on the class path (else the others' skip
     *     notes say why they did not start)
     */
    static String referenceNote(boolean alone) {
        return "auto picked the reference backend (plain Java, several times slower): " + (alone
                ? "no faster backend is on the class path; depend on org.labelprop:labelprop, which brings the cpu "
                        + "backend (org.labelprop:labelprop-cpu)"
                : "no faster backend could start");
    }

    /**
     * Where a library call sends backend notes unless told otherwise: the {@code System.Logger} named
     * {@code org.labelprop}, at INFO (java.util.logging prints INFO to stderr unless configured; an
     * application that routes System.Logger to SLF4J or Log4j gets them there). Library code never prints.
     */
    public static final Consumer<String> LOG = line -> System.getLogger("org.labelprop").log(System.Logger.Level.INFO, line);

    /** As {@link #select(String, ForkJoinPool, Consumer)}, notes to {@link #LOG}. */
    public static Backend select(String requested, ForkJoinPool workers) {
        return select(requested, workers, LOG);
    }

    /**
     * @param requested a backend name, {@code auto}, or null (same as auto unless the property is set)
     * @param workers the pool the backend's kernels run on; the caller keeps owning it
     * @param notes receives one line per backend that auto skipped, saying why, one when auto falls back to the
     *     reference backend, and the backend's own notes
     * @return a backend the caller owns and must {@link Backend#close() close}
     */
    public static Backend select(String requested, ForkJoinPool workers, Consumer<String> notes) {
        return select(requested, workers, notes, notes);
    }

    /**
     * As {@link #select(String, ForkJoinPool, Consumer)}, with auto's lines about backends this machine
     * simply lacks ({@link BackendUnavailableException#absent()}: no GPU driver, no device) going to
     * {@code absentNotes} instead, e.g. to show them only when asked. A backend requested by name still fails.
     */
    public static Backend select(String requested, ForkJoinPool workers, Consumer<String> notes,
            Consumer<String> absentNotes) {
        String name = requested == null || requested.isBlank() ? System.getProperty(PROPERTY, AUTO) : requested;
        name = name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (name.equals(AUTO)) {
            for (BackendProvider p : providers) {
                try {
                    Backend backend = p.create(workers, notes);
                    if (p instanceof ReferenceBackendProvider) {
                        notes.accept(referenceNote(providers.size() == 1));
                    }
                    return backend;
                } catch (BackendUnavailableException e) {
                    (e.absent() ? absentNotes : notes).accept("backend " + p.name() + " skipped: " + e.getMessage());
                }
            }
            throw new BackendUnavailableException("no backend could start");
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(name)) {
                return p.create(workers, notes);
            }
        }
        List<String> names = new ArrayList<>();
        providers.forEach(p -> names.add(p.name()));
        throw new InvalidOptionException("backend", "must be one of auto, " + String.join(", ", names) + "; got '"
                + name + "'");
    }
}
