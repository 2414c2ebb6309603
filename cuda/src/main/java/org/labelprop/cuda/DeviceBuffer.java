package org.labelprop.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/** One device allocation, owned by its {@link CudaDevice}; closing it frees the memory (idempotent). */
final class DeviceBuffer implements AutoCloseable {
    final CUdeviceptr ptr;
    final long bytes;
    private final CudaDevice owner;
    private boolean freed;

    DeviceBuffer(CudaDevice owner, CUdeviceptr ptr, long bytes) {
        this.owner = owner;
        this.ptr = ptr;
        this.bytes = bytes;
    }

    /** The address {@code byteOffset} bytes into the buffer. */
    CUdeviceptr at(long byteOffset) {
        return ptr.withByteOffset(byteOffset);
    }

    void upload(Pointer host, long byteCount) {
        upload(host, byteCount, 0);
    }

    void upload(Pointer host, long byteCount, long deviceOffset) {
        CudaCalls.driver("cuMemcpyHtoD(" + byteCount + " bytes)",
                () -> cuMemcpyHtoD(at(deviceOffset), host, byteCount));
    }

    void download(Pointer host, long byteCount) {
        CudaCalls.driver("cuMemcpyDtoH(" + byteCount + " bytes)", () -> cuMemcpyDtoH(host, ptr, byteCount));
    }

    /** Copies the first {@code byteCount} bytes of another buffer on the device. */
    void copyFrom(DeviceBuffer source, long byteCount) {
        CudaCalls.driver("cuMemcpyDtoD(" + byteCount + " bytes)", () -> cuMemcpyDtoD(ptr, source.ptr, byteCount));
    }

    /** Sets the first {@code count} 32-bit words to {@code bits} (e.g. Float.floatToIntBits(+inf)). */
    void fill32(int bits, long count) {
        CudaCalls.driver("cuMemsetD32", () -> cuMemsetD32(ptr, bits, count));
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            owner.free(this);
        }
    }
}
