package org.labelprop.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The parameter list of one kernel launch, typed to match the kernel's C signature: {@code int} for
 * {@link #i32}, {@code long long} for {@link #i64}. A wrong width silently shifts every later argument,
 * so each call site lists the arguments in the order of the .cu declaration.
 */
final class KernelArgs {
    private final List<NativePointerObject> args = new ArrayList<>();

    KernelArgs ptr(CUdeviceptr p) {
        args.add(Pointer.to(p));
        return this;
    }

    KernelArgs ptr(DeviceBuffer b) {
        return ptr(b.ptr);
    }

    /** A null device pointer, for optional arrays such as the clamped flags. */
    KernelArgs nullPtr() {
        return ptr(new CUdeviceptr());
    }

    KernelArgs i32(int v) {
        args.add(Pointer.to(new int[] {v}));
        return this;
    }

    KernelArgs i64(long v) {
        args.add(Pointer.to(new long[] {v}));
        return this;
    }

    KernelArgs f32(float v) {
        args.add(Pointer.to(new float[] {v}));
        return this;
    }

    Pointer pointer() {
        return Pointer.to(args.toArray(new NativePointerObject[0]));
    }
}
