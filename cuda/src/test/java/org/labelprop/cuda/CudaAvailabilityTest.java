package org.labelprop.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;
import org.labelprop.core.backend.BackendUnavailableException;
import org.labelprop.core.backend.Backends;

/** What holds on every machine: the kernel resources, the provider's registration and its refusal without a GPU. */
class CudaAvailabilityTest {
    private static final ForkJoinPool POOL = ForkJoinPool.commonPool();

    @Test
    void kernelResourcesContainEveryEntryPoint() {
        for (Map.Entry<String, List<String>> m : KernelImages.ENTRIES.entrySet()) {
            byte[] ptx = KernelImages.read(m.getKey(), "ptx");
            if (ptx == null) {
                assertFalse(nvccOnPath(), m.getKey() + ".ptx is missing although nvcc is on the PATH");
                Assumptions.abort("kernels not built: nvcc was not on the PATH");
            }
            String text = new String(ptx, StandardCharsets.US_ASCII);
            for (String entry : m.getValue()) {
                assertTrue(text.contains(".entry " + entry + "("), m.getKey() + ".ptx lacks entry " + entry);
            }
            byte[] fatbin = KernelImages.read(m.getKey(), "fatbin");
            assertNotNull(fatbin, m.getKey() + ".fatbin missing beside the PTX");
            assertTrue(fatbin.length > 0, m.getKey() + ".fatbin is empty");
        }
        assertTrue(KernelImages.built());
    }

    private static boolean nvccOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "nvcc").canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void providerIsRegisteredWithTheHighestPriority() {
        BackendProvider first = Backends.providers().get(0);
        assertEquals("cuda", first.name());
        assertEquals(300, first.priority());
    }

    @Test
    void providerRefusesWithOneLineReasonWithoutGpu() {
        Assumptions.assumeTrue(GpuAvailability.unavailableReason() != null, "a GPU is present");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new CudaBackendProvider().create(POOL, note -> { }));
        String reason = e.getMessage();
        assertFalse(reason.isBlank());
        assertFalse(reason.contains("\n"), "reason spans lines: " + reason);
    }

    @Test
    void autoFallsBackToCpuAndSaysWhyWhileAnExplicitRequestFails() {
        Assumptions.assumeTrue(GpuAvailability.unavailableReason() != null, "a GPU is present");
        List<String> notes = new ArrayList<>();
        Backend chosen = Backends.select("auto", POOL, notes::add);
        assertEquals("cpu", chosen.name());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("backend cuda skipped: "), notes.get(0));
        assertThrows(BackendUnavailableException.class, () -> Backends.select("cuda", POOL, notes::add));
    }

    @Test
    void autoSendsTheSkipOfAnAbsentGpuToItsOwnConsumer() {
        String reason = GpuAvailability.unavailableReason();
        Assumptions.assumeTrue(reason != null, "a GPU is present");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new CudaBackendProvider().create(POOL, note -> { }));
        Assumptions.assumeTrue(e.absent(), "the GPU is there but cannot start: " + reason);
        List<String> notes = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        try (Backend chosen = Backends.select("auto", POOL, notes::add, absent::add)) {
            assertEquals("cpu", chosen.name());
        }
        assertEquals(List.of(), notes);
        assertEquals(1, absent.size(), absent.toString());
        assertTrue(absent.get(0).startsWith("backend cuda skipped: "), absent.get(0));
    }
}
