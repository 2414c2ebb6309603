package org.labelprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheSizeTest {
    @Test
    void parsesSysfsSizes() {
        assertEquals(2048L << 10, CacheSize.parseSize("2048K\n"));
        assertEquals(1L << 20, CacheSize.parseSize("1M"));
        assertEquals(512, CacheSize.parseSize("512"));
        assertEquals(-1, CacheSize.parseSize(""));
        assertEquals(-1, CacheSize.parseSize("K"));
        assertEquals(-1, CacheSize.parseSize("2.5M"));
        assertEquals(-1, CacheSize.parseSize("-1K"));
    }

    /** A sysfs layout as Linux writes it: the level-2 entry that is not an instruction cache. */
    @Test
    void readsTheL2FromASysfsLayout(@TempDir Path dir) throws IOException {
        index(dir, "index0", "1", "Data", "48K");
        index(dir, "index1", "1", "Instruction", "64K");
        index(dir, "index2", "2", "Unified", "1280K");
        index(dir, "index3", "3", "Unified", "491520K");
        Files.writeString(dir.resolve("uevent"), "");
        assertEquals(1280L << 10, CacheSize.l2Bytes(dir));
    }

    @Test
    void assumesTheSmallestL2WhereSysfsSaysNothing(@TempDir Path dir) throws IOException {
        assertEquals(CacheSize.ASSUMED_L2_BYTES, CacheSize.l2Bytes(dir.resolve("missing")));
        index(dir, "index0", "1", "Data", "48K");
        index(dir, "index2", "2", "Unified", "lots");
        assertEquals(CacheSize.ASSUMED_L2_BYTES, CacheSize.l2Bytes(dir));
    }

    private static void index(Path dir, String name, String level, String type, String size) throws IOException {
        Path index = Files.createDirectories(dir.resolve(name));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
    }
}
