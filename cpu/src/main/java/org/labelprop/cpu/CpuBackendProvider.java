package org.labelprop.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;

/**
 * Chooses the CPU kernels the way Lucene's VectorizationProvider does: the Vector API implementation
 * only when jdk.incubator.vector is in the boot layer (java --add-modules jdk.incubator.vector), loaded
 * by name so this class never links against it; otherwise the scalar kernels, said once in one line.
 * The system property {@value #KERNELS_PROPERTY} forces a choice.
 */
public final class CpuBackendProvider implements BackendProvider {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Forces scalar kernels for A/B benchmarks and debugging: -Dlabelprop.cpu.kernels=scalar. */
    public static final String KERNELS_PROPERTY = "labelprop.cpu.kernels";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Backend create(ForkJoinPool pool) {
        return new CpuBackend(pool, kernels());
    }

    static Kernels kernels() {
        String forced = System.getProperty(KERNELS_PROPERTY, "auto");
        if (forced.equals("scalar")) {
            return new ScalarKernels();
        }
        if (!forced.equals("auto") && !forced.equals("vector")) {
            throw new org.labelprop.core.DataException(KERNELS_PROPERTY + " must be auto, vector or scalar, got '"
                    + forced + "'");
        }
        if (vectorModuleReadable()) {
            try {
                return (Kernels) Class.forName("org.labelprop.cpu.VectorKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                warnOnce("labelprop: Vector API kernels failed to load (" + e + "); using scalar kernels");
                return new ScalarKernels();
            }
        }
        warnOnce("labelprop: " + VECTOR_MODULE + " not available; the cpu backend uses parallel scalar code "
                + "(run java with --add-modules " + VECTOR_MODULE + " for SIMD)");
        return new ScalarKernels();
    }

    private static boolean vectorModuleReadable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static void warnOnce(String line) {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println(line);
        }
    }
}
