package org.labelprop.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The size of a core's L2 cache, for blocking the self-join ({@link CpuBackend#selfJoinGroup}). Read from Linux's
 * sysfs, the only portable source a JVM has; where it cannot be read, {@link #ASSUMED_L2_BYTES}, the smallest L2
 * of current x86 server cores (AMD Zen 2 and 3), so that an unknown machine is blocked as the smallest would be.
 */
public final class CacheSize {
    public static final long ASSUMED_L2_BYTES = 512L << 10;
    static final Path SYSFS_CPU0 = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private CacheSize() {
    }

    /** The first CPU's L2 (data or unified) in bytes, or {@link #ASSUMED_L2_BYTES}. */
    public static long l2Bytes() {
        return l2Bytes(SYSFS_CPU0);
    }

    /** The L2 described under {@code cacheDir} (sysfs layout: index0, index1, ... with level, type, size). */
    static long l2Bytes(Path cacheDir) {
        try (var entries = Files.list(cacheDir)) {
            for (Path index : (Iterable<Path>) entries.sorted()::iterator) {
                if (!index.getFileName().toString().startsWith("index")) {
                    continue;
                }
                if (read(index, "level").equals("2") && !read(index, "type").equals("Instruction")) {
                    long bytes = parseSize(read(index, "size"));
                    if (bytes > 0) {
                        return bytes;
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // No sysfs (not Linux, a container hiding it) or an unexpected format: assume the smallest L2.
        }
        return ASSUMED_L2_BYTES;
    }

    /** sysfs sizes: a number with an optional K, M or G suffix ("2048K"); -1 for anything else. */
    static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return -1;
        }
        int shift = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 12) {
            return -1;
        }
        return Long.parseLong(digits) << shift;
    }

    private static String read(Path index, String name) throws IOException {
        return Files.readString(index.resolve(name)).trim();
    }
}
