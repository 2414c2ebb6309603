package org.labelprop.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chooses the cuBLAS binding for a device: JCublas2 first, where its natives and {@code libcublas.so.12}
 * load (the binding the backend was first verified with), then JNA on {@code libcublas.so.13}, then .12.
 * With {@value JnaCublas#LIBRARY_PROPERTY} set, only JNA on that file is tried: the user named the library.
 * The chosen binding is bound to the default stream (the one every kernel launches on, so SGEMM and the
 * distance kernels stay ordered without extra synchronization) in plain FP32 math (TF32 tensor cores
 * would cost the distances their 1e-4 agreement with the CPU).
 */
final class CublasLoader {
    private CublasLoader() {
    }

    /** One way to reach cuBLAS; {@code open} throws LinkageError or CudaFailure where it cannot. */
    record Candidate(String name, Supplier<Cublas> open) {
    }

    /** The binding in use (null where none loaded) and, for the device description, which one or why none. */
    record Choice(Cublas cublas, String description) {
    }

    static List<Candidate> candidates(String libraryOverride) {
        Candidate jna = new Candidate("JNA", () -> JnaCublas.open(libraryOverride, JnaCublas.NATIVE));
        if (!JnaCublas.searchOrder(libraryOverride).equals(JnaCublas.DEFAULT_NAMES)) {
            return List.of(jna);
        }
        return List.of(new Candidate("JCublas2", JcublasBinding::open), jna);
    }

    /** The first candidate that opens and accepts the stream and math mode, on the current context. */
    static Choice open(List<Candidate> candidates) {
        List<String> failures = new ArrayList<>();
        for (Candidate c : candidates) {
            Cublas blas;
            try {
                blas = c.open().get();
            } catch (LinkageError e) {
                failures.add(c.name() + ": " + CudaCalls.linkFailure(e));
                continue;
            } catch (CudaFailure e) {
                failures.add(c.name() + ": " + e.getMessage());
                continue;
            }
            try {
                blas.setStream(null);
                blas.setMathMode(Cublas.DEFAULT_MATH);
                return new Choice(blas, "cuBLAS " + Cublas.versionString(blas.version()) + " through " + blas.binding());
            } catch (CudaFailure | LinkageError e) {
                failures.add(c.name() + ": " + CudaCalls.firstLine(e));
                try {
                    blas.close();
                } catch (CudaFailure | LinkageError ignored) {
                    // The failure above is the one worth reporting; the handle is gone either way.
                }
            }
        }
        return new Choice(null, "cuBLAS not loaded (" + String.join("; ", failures) + "); own distance kernel");
    }
}
