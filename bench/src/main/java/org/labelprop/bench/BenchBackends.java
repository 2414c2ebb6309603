package org.labelprop.bench;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.Backends;
import org.labelprop.cpu.CpuBackendProvider;

/** Backends by benchmark parameter name: reference, cpu-scalar, cpu (Vector API), cuda. */
final class BenchBackends {
    private BenchBackends() {
    }

    static Backend create(String name) {
        ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        if (name.equals("cpu-scalar")) {
            System.setProperty(CpuBackendProvider.KERNELS_PROPERTY, "scalar");
            try {
                return Backends.select("cpu", pool, note -> { });
            } finally {
                System.clearProperty(CpuBackendProvider.KERNELS_PROPERTY);
            }
        }
        return Backends.select(name, pool, note -> { });
    }
}
