package org.labelprop.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.runtime.cudaStream_t;

/**
 * The raw addresses behind JCuda's handles, for {@link JnaCublas}, which passes them to a library JCuda does
 * not bind. JCuda keeps them in protected fields; its protected copy constructors are the supported way to
 * read them, from a subclass, without reflection.
 */
final class DeviceAddress {
    private DeviceAddress() {
    }

    /** The device address of {@code p}, its byte offset included (0 for a null pointer). */
    static long of(CUdeviceptr p) {
        return new PointerCopy(p).address();
    }

    /** The CUstream_st* behind {@code s}; 0 (the legacy default stream) for null. */
    static long of(CUstream s) {
        return s == null ? 0 : new StreamCopy(s).address();
    }

    private static final class PointerCopy extends CUdeviceptr {
        PointerCopy(CUdeviceptr p) {
            super(p);
        }

        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    private static final class StreamCopy extends CUstream {
        StreamCopy(CUstream s) {
            super(new cudaStream_t(s));
        }

        long address() {
            return getNativePointer();
        }
    }
}
