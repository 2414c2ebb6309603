package org.labelprop.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;
import org.labelprop.core.backend.Backends;

/**
 * This module's test class path is its dependency list (plus JUnit): exactly what a user who declares
 * org.labelprop:labelprop alone gets. Checked: the cpu backend comes with it, auto picks its Vector API
 * kernels without a word when the module is added, and says how to add it, in one line, when it is not.
 */
class OneDependencyTest {
    @Test
    void theOneDependencyBringsTheCpuBackendButNotCuda() {
        assertEquals(List.of("cpu", "reference"), Backends.providers().stream().map(BackendProvider::name).toList());
    }

    @Test
    void autoPicksTheVectorApiKernelsSilentlyWhenTheModuleIsAdded() {
        // Surefire runs with --add-modules jdk.incubator.vector, as the README tells users to.
        List<String> notes = new ArrayList<>();
        ForkJoinPool workers = new ForkJoinPool(2);
        try (Backend backend = Backends.select("auto", workers, notes::add)) {
            assertEquals("cpu", backend.name());
            assertTrue(backend.description().startsWith("cpu: Vector API, "), backend.description());
        } finally {
            workers.shutdown();
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void withoutTheVectorModuleAutoSaysTheFixInOneLine() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SelectAuto.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertEquals(List.of("note: jdk.incubator.vector is not in the boot layer, so the cpu backend runs scalar "
                + "code, several times slower: run java with --add-modules jdk.incubator.vector",
                "backend: cpu: scalar, 2 threads"), output.lines().toList());
    }
}
