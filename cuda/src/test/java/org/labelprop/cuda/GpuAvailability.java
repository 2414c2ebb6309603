package org.labelprop.cuda;

import org.junit.jupiter.api.Assumptions;
import org.labelprop.core.backend.BackendUnavailableException;

/** Opens device 0 once for all GPU tests, or skips them with the reason the GPU cannot serve here. */
final class GpuAvailability {
    private static CudaDevice device;
    private static String reason;

    private GpuAvailability() {
    }

    /** The shared device; aborts the calling test (reported as skipped) where there is none. */
    static synchronized CudaDevice deviceOrSkip() {
        if (device == null && reason == null) {
            try {
                device = CudaDevice.open(0);
                Runtime.getRuntime().addShutdownHook(new Thread(device::close));
            } catch (BackendUnavailableException e) {
                reason = e.getMessage();
            }
        }
        if (device == null) {
            Assumptions.abort("no GPU here: " + reason);
        }
        return device;
    }

    /** Why the GPU cannot serve, or null where it can. */
    static synchronized String unavailableReason() {
        try {
            deviceOrSkip();
            return null;
        } catch (org.opentest4j.TestAbortedException e) {
            return reason;
        }
    }
}
