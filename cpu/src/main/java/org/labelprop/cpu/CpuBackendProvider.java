package org.labelprop.cpu;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;

/**
 * Chooses the CPU kernels the way Lucene's VectorizationProvider does: the Vector API implementation only
 * when jdk.incubator.vector is in the boot layer (java --add-modules jdk.incubator.vector), the JIT that
 * makes it fast (C2) is on, and the machine's preferred vector is at least 128 bits; it is loaded by name
 * so this class never links against the module. Otherwise the scalar kernels, said in one note (the Vector
 * API without C2 runs interpreted and is far slower than plain loops). The system property
 * {@value #KERNELS_PROPERTY} forces a choice for {@link #create(ForkJoinPool, Consumer)}; code that wants a
 * given choice (A/B benchmarks) passes it to {@link #create(ForkJoinPool, Consumer, String)} instead.
 */
public final class CpuBackendProvider implements BackendProvider {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** The one line a user sees when the incubator module was not added: the most common way to lose SIMD. */
    static final String MISSING_VECTOR_MODULE = VECTOR_MODULE + " is not in the boot layer, so the cpu backend "
            + "runs scalar code, several times slower: run java with --add-modules " + VECTOR_MODULE;
    /** Forces scalar kernels for A/B benchmarks and debugging: -Dlabelprop.cpu.kernels=scalar. */
    public static final String KERNELS_PROPERTY = "labelprop.cpu.kernels";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Backend create(ForkJoinPool workers, Consumer<String> notes) {
        return create(workers, notes, System.getProperty(KERNELS_PROPERTY, "auto"));
    }

    /**
     * The cpu backend with the given kernels, whatever {@value #KERNELS_PROPERTY} says.
     *
     * @param workers the pool the kernels run on; the caller keeps owning it
     * @param notes receives one line when the kernels fall back to scalar code, saying why
     * @param kernels auto (the checks above, and small problems on the scalar kernels, which need no JIT
     *     warm-up), vector (the Vector API for every size, even where a check advises against it) or scalar
     * @return a backend the caller owns and closes
     * @throws InvalidOptionException for any other {@code kernels}
     */
    public static Backend create(ForkJoinPool workers, Consumer<String> notes, String kernels) {
        Kernels chosen = kernels(kernels, notes);
        return kernels.equals("auto") ? CpuBackend.withScalarForSmallWork(workers, chosen)
                : new CpuBackend(workers, chosen);
    }

    /**
     * @param choice auto, vector (the Vector API even where a check advises against it) or scalar
     */
    static Kernels kernels(String choice, Consumer<String> notes) {
        if (choice.equals("scalar")) {
            return new ScalarKernels();
        }
        if (!choice.equals("auto") && !choice.equals("vector")) {
            throw new InvalidOptionException(KERNELS_PROPERTY, "must be auto, vector or scalar, got '" + choice + "'");
        }
        if (!ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
            notes.accept(MISSING_VECTOR_MODULE);
            return new ScalarKernels();
        }
        String noC2 = withoutOptimizingJit();
        if (noC2 != null && choice.equals("auto")) {
            notes.accept("the Vector API would run slowly here (" + noC2 + "); the cpu backend uses scalar code");
            return new ScalarKernels();
        }
        try {
            return (Kernels) Class.forName("org.labelprop.cpu.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            notes.accept("Vector API kernels refused this machine (" + e.getCause().getMessage()
                    + "); the cpu backend uses scalar code");
        } catch (ReflectiveOperationException | LinkageError e) {
            notes.accept("Vector API kernels failed to load (" + e + "); the cpu backend uses scalar code");
        }
        return new ScalarKernels();
    }

    /**
     * Why the JVM would not compile Vector API code with C2, or null when it would: the interpreter alone
     * (-Xint), tiered compilation stopped below C2 (-XX:TieredStopAtLevel=1..3), or the JIT switched off.
     */
    static String withoutOptimizingJit() {
        if (String.valueOf(System.getProperty("java.vm.info")).contains("interpreted mode")) {
            return "the JVM runs interpreted only (-Xint)";
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (vm == null) {
                return null;
            }
            if ("false".equals(vm.getVMOption("UseCompiler").getValue())) {
                return "the JIT is off";
            }
            if ("true".equals(vm.getVMOption("TieredCompilation").getValue())
                    && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4) {
                return "C2 is off: -XX:TieredStopAtLevel=" + vm.getVMOption("TieredStopAtLevel").getValue();
            }
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or the management module is absent: no way to tell, assume C2 is there.
        }
        return null;
    }
}
