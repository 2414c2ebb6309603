package org.labelprop.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The machine's memory limits that the scenarios' rates are read against, measured in the same run on
 * the backend's worker threads: streaming bandwidth (a triad) and the time of one random cache-line read.
 */
final class MachineProbes {
    /**
     * @param triadGBs streaming bandwidth, GB/s, counting the three arrays a triad moves
     * @param randomLineNs nanoseconds per random cache-line read with every thread reading: the floor of a
     *     gather-bound propagation step
     */
    record Figures(double triadGBs, double randomLineNs) {
    }

    private MachineProbes() {
    }

    /**
     * The widest x86 vector extension the JIT may emit, from HotSpot's UseAVX (3: AVX-512, 2: AVX2), which
     * -XX:UseAVX=2 lowers on an AVX-512 machine; "unknown" elsewhere (another JVM or architecture).
     */
    static String instructionSet() {
        try {
            String avx = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseAVX")
                    .getValue();
            return switch (avx) {
                case "3" -> "AVX-512 (UseAVX=3)";
                case "2" -> "AVX2 (UseAVX=2)";
                default -> "UseAVX=" + avx;
            };
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + System.getProperty("os.arch") + ")";
        }
    }

    static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    }

    static Figures measure(ForkJoinPool workers) {
        return new Figures(triadGBs(workers), randomLineNs(workers));
    }

    /** a[i] = b[i] + s c[i] over 64M floats per array, best of 5, counting 3 arrays moved. */
    private static double triadGBs(ForkJoinPool workers) {
        int n = 1 << 26;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        Arrays.fill(b, 1f);
        Arrays.fill(c, 2f);
        int chunks = 256;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            workers.submit(() -> IntStream.range(0, chunks).parallel().forEach(ch -> {
                int from = (int) ((long) n * ch / chunks);
                int to = (int) ((long) n * (ch + 1) / chunks);
                for (int i = from; i < to; i++) {
                    a[i] = b[i] + 3f * c[i];
                }
            })).join();
            best = Math.min(best, BenchReport.secondsSince(t0));
        }
        return 3.0 * 4 * n / best / 1e9;
    }

    /**
     * Random reads of one float per 64-byte line over 512 MB (far beyond any cache), each thread with its
     * own xorshift stream so the loads are independent and as many are in flight as the cores allow; best
     * of 3. Transparent huge pages, as the launcher runs, keep page walks out of it.
     */
    private static double randomLineNs(ForkJoinPool workers) {
        int lines = 1 << 23;
        float[] y = new float[lines * 16];
        Arrays.fill(y, 1f);
        int chunks = 256;
        int perChunk = 1 << 16;
        double best = Double.MAX_VALUE;
        double[] sink = new double[chunks];
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            workers.submit(() -> IntStream.range(0, chunks).parallel().forEach(ch -> {
                long x = 0x9E3779B97F4A7C15L * (ch + 1);
                float acc = 0;
                for (int i = 0; i < perChunk; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    acc += y[(int) (x & (lines - 1)) << 4];
                }
                sink[ch] = acc;
            })).join();
            best = Math.min(best, BenchReport.secondsSince(t0));
        }
        if (Arrays.stream(sink).sum() != (double) chunks * perChunk) {
            throw new IllegalStateException("random-read benchmark miscounted");
        }
        return best * 1e9 / ((double) chunks * perChunk);
    }
}
