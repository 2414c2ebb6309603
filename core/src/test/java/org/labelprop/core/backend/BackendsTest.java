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

    /** Without a notes consumer the note goes to System.Logger "org.labelprop" (java.util.logging here), not stdout. */
    @Test
    void withoutAConsumerNotesGoToTheSystemLogger() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("org.labelprop");
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        try (Backend backend = Backends.select("auto", ForkJoinPool.commonPool())) {
            assertEquals("reference", backend.name());
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(true);
        }
        assertEquals(1, records.size());
        assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
        assertEquals(Backends.referenceNote(true), records.get(0).getMessage());
    }
}
