package org.labelprop.cuda;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * cuBLAS through JNA, for hosts where JCuda cannot reach it: JCuda 12.6 (the newest) links against
 * {@code libcublas.so.12}, and CUDA 13 ships only {@code libcublas.so.13}. The few functions the backend
 * needs are declared in {@link Library} with the C signatures of cublas_api.h (identical in CUDA 12 and 13);
 * device memory is passed as the raw addresses behind JCuda's pointers ({@link DeviceAddress}), which is
 * sound because both libraries work in the same CUDA context of the calling thread.
 */
final class JnaCublas implements Cublas {
    /** A file name or path that replaces the search for {@link #DEFAULT_NAMES}. */
    static final String LIBRARY_PROPERTY = "labelprop.cublas.library";
    /** Newest first: CUDA 13's library, then CUDA 12's (on hosts where JCublas2's natives do not load). */
    static final List<String> DEFAULT_NAMES = List.of("libcublas.so.13", "libcublas.so.12");

    /** The cuBLAS entry points, by their exported (_v2) names; handles and streams are opaque pointers. */
    interface Library extends com.sun.jna.Library {
        int cublasCreate_v2(PointerByReference handle);

        int cublasDestroy_v2(Pointer handle);

        int cublasGetVersion_v2(Pointer handle, int[] version);

        int cublasSetStream_v2(Pointer handle, Pointer stream);

        int cublasSetMathMode(Pointer handle, int mode);

        int cublasSgemm_v2(Pointer handle, int transa, int transb, int m, int n, int k, float[] alpha, Pointer a,
                           int lda, Pointer b, int ldb, float[] beta, Pointer c, int ldc);
    }

    /** Opens a library by file name or path; throws UnsatisfiedLinkError where the dynamic linker cannot. */
    @FunctionalInterface
    interface Loader {
        Library load(String name);
    }

    static final Loader NATIVE = name -> Native.load(name, Library.class);

    private final Library lib;
    private final String file;
    private final Pointer handle;
    private boolean closed;

    private JnaCublas(Library lib, String file, Pointer handle) {
        this.lib = lib;
        this.file = file;
        this.handle = handle;
    }

    /** The names tried, in order: the override alone where one is given, else {@link #DEFAULT_NAMES}. */
    static List<String> searchOrder(String override) {
        return override == null || override.isBlank() ? DEFAULT_NAMES : List.of(override.strip());
    }

    /**
     * Loads the first library of {@link #searchOrder} that opens and creates a handle with it on the current
     * context; a library that opens but cannot create one (a driver too old for it, say) passes to the next.
     *
     * @throws UnsatisfiedLinkError with one line naming every library tried and why each failed, and what to
     *         install or set where none loaded
     */
    static JnaCublas open(String override, Loader loader) {
        List<String> failures = new ArrayList<>();
        boolean loaded = false;
        for (String name : searchOrder(override)) {
            Library lib;
            try {
                lib = loader.load(name);
            } catch (UnsatisfiedLinkError e) {
                String why = CudaCalls.linkFailure(e);
                failures.add(why.startsWith(name) ? why : name + ": " + why);
                continue;
            }
            loaded = true;
            try {
                PointerByReference h = new PointerByReference();
                CudaCalls.cublas("cublasCreate_v2", () -> lib.cublasCreate_v2(h));
                return new JnaCublas(lib, name, h.getValue());
            } catch (CudaFailure | UnsatisfiedLinkError e) {
                failures.add(name + " loaded but " + CudaCalls.firstLine(e));
            }
        }
        String tried = "no usable cuBLAS through JNA (" + String.join("; ", failures) + ")";
        // Where a library loaded, its status (no device, a driver too old for it) says more than an install hint.
        throw new UnsatisfiedLinkError(loaded ? tried : tried + "; install cuBLAS of CUDA 13 or 12 (the CUDA"
                + " toolkit or the nvidia-cublas Python wheel) and add its lib folder to LD_LIBRARY_PATH, or set -D"
                + LIBRARY_PROPERTY + "=/path/to/libcublas.so.N");
    }

    @Override
    public String binding() {
        return "JNA (" + file + ")";
    }

    @Override
    public int version() {
        int[] v = new int[1];
        CudaCalls.cublas("cublasGetVersion_v2", () -> lib.cublasGetVersion_v2(handle, v));
        return v[0];
    }

    @Override
    public void setStream(CUstream stream) {
        long s = DeviceAddress.of(stream);
        CudaCalls.cublas("cublasSetStream_v2", () -> lib.cublasSetStream_v2(handle, s == 0 ? null : new Pointer(s)));
    }

    @Override
    public void setMathMode(int mode) {
        CudaCalls.cublas("cublasSetMathMode", () -> lib.cublasSetMathMode(handle, mode));
    }

    @Override
    public void sgemm(int transA, int transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda,
                      CUdeviceptr b, int ldb, float beta, CUdeviceptr c, int ldc) {
        Pointer pa = new Pointer(DeviceAddress.of(a));
        Pointer pb = new Pointer(DeviceAddress.of(b));
        Pointer pc = new Pointer(DeviceAddress.of(c));
        CudaCalls.cublas("cublasSgemm_v2", () -> lib.cublasSgemm_v2(handle, transA, transB, m, n, k,
                new float[] {alpha}, pa, lda, pb, ldb, new float[] {beta}, pc, ldc));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CudaCalls.cublas("cublasDestroy_v2", () -> lib.cublasDestroy_v2(handle));
        }
    }
}
