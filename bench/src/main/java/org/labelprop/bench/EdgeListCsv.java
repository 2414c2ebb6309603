package org.labelprop.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.labelprop.core.io.AtomicOutput;
import org.labelprop.core.io.EdgeList;

/**
 * Writes an edge list as the CSV lines {@code src,dst} that EdgeListReader reads back: the file a user
 * with a large graph would hand to {@code propagate --edges}. No allocation per edge, so the writing
 * measures the disk and the loop rather than the garbage collector.
 */
final class EdgeListCsv {
    private EdgeListCsv() {
    }

    static void write(Path file, EdgeList edges) throws IOException {
        int[] src = edges.src();
        int[] dst = edges.dst();
        AtomicOutput.write(file, o -> {
            byte[] line = new byte[32];
            for (int e = 0; e < src.length; e++) {
                int p = digits(src[e], line, 0);
                line[p++] = ',';
                p = digits(dst[e], line, p);
                line[p++] = '\n';
                o.write(line, 0, p);
            }
        });
    }

    /** The decimal digits of {@code v >= 0} into buf from {@code at}; returns the index after them. */
    private static int digits(int v, byte[] buf, int at) {
        if (v == 0) {
            buf[at] = '0';
            return at + 1;
        }
        int count = 0;
        for (int t = v; t > 0; t /= 10) {
            count++;
        }
        for (int p = at + count - 1; p >= at; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + count;
    }
}
