package org.labelprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What a user of the artifacts sees: the version from the build, and each jar's Java module name. */
class PackagingTest {
    /** The project's root, this test running in cli/. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The version the parent pom declares, read from the file itself rather than through the build. */
    static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>labelprop-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "no version in the parent pom");
        return m.group(1);
    }

    @Test
    void versionIsThePomsVersion() throws IOException {
        CliTest.Run r = CliTest.run("--version");
        assertEquals(Main.OK, r.code(), r.err());
        assertEquals("labelprop " + pomVersion(), r.out().strip());
    }

    /** The jars exist once `package` has run for that module (as in `mvn verify` from the root); else skip. */
    @ParameterizedTest
    @ValueSource(strings = {"core", "cpu", "cuda", "bench", "cli"})
    void jarNamesItsModuleAndVersion(String module) throws IOException {
        assertJarNames(ROOT.resolve(module + "/target/labelprop-" + module + "-" + pomVersion() + ".jar"),
                "org.labelprop." + module);
    }

    @Test
    void theOneDependencyJarNamesItsModuleAndVersion() throws IOException {
        assertJarNames(ROOT.resolve("library/target/labelprop-" + pomVersion() + ".jar"), "org.labelprop");
    }

    private static void assertJarNames(Path jar, String moduleName) throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is not built yet");
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            assertEquals(moduleName, m.getMainAttributes().getValue("Automatic-Module-Name"));
            assertEquals(pomVersion(), m.getMainAttributes().getValue("Implementation-Version"));
        }
    }
}
