package org.labelprop.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Core's own class path holds only the reference backend: what a user who added labelprop-core alone gets. */
class BackendsTest {
    @Test
    void autoWithOnlyCoreSaysInOneLineThatItFellBackAndWhatToAdd() {
        assertEquals(List.of("reference"), Backends.providers().stream().map(BackendProvider::name).toList());
        List<String> notes = new ArrayList<>();
        try (Backend backend = Backends.select("auto", ForkJoinPool.commonPool(), notes::add)) {
            assertEquals("reference", backend.name());
        }
        assertEquals(List.of("auto picked the reference backend (plain Java, several times slower): no faster "
                + "backend is on the class path; depend on org.labelprop:labelprop, which brings the cpu backend "
                + "(org.labelprop:labelprop-cpu)"), notes);
    }

    @Test
    void askingForTheReferenceBackendByNameAddsNoNote() {
        List<String> notes = new ArrayList<>();
        try (Backend backend = Backends.select("reference", ForkJoinPool.commonPool(), notes::add)) {
            assertEquals("reference", backend.name());
        }
        assertEquals(List.of(), notes);
    }
}
