package org.labelprop.cuda;

import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.BackendProvider;

/**
 * The GPU backend on device 0, preferred by {@code auto} when the driver, a device and the kernels are all
 * there; otherwise {@link #create} refuses with a one-line reason and {@code auto} moves on to the CPU.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Backend create(ForkJoinPool workers, Consumer<String> notes) {
        boolean delegateSmall = !"false".equalsIgnoreCase(System.getProperty(CudaBackend.DELEGATE_PROPERTY));
        DeviceKnn.Kernel knn = DeviceKnn.Kernel.parse(System.getProperty(DeviceKnn.KERNEL_PROPERTY, "fused"));
        return new CudaBackend(CudaDevice.open(0), workers, notes, delegateSmall, knn);
    }
}
