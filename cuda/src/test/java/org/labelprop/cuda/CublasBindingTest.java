package org.labelprop.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.cublasStatus;
import org.junit.jupiter.api.Test;

/**
 * The cuBLAS seam without a GPU: the JNA binding's library search and its one-line error, what it passes to
 * the library (checked on a stand-in for libcublas), status names against JCuda's table, and the choice of
 * binding. The SGEMM results of both bindings on a real card are in {@link CublasGpuTest}.
 */
class CublasBindingTest {
    private static final Pointer HANDLE = new Pointer(0x5000);

    /** A dynamic linker that finds nothing: the message glibc gives, as JNA passes it on. */
    private static JnaCublas.Library missing(String name) {
        throw new UnsatisfiedLinkError("Unable to load library '" + name + "':\n" + name
                + ": cannot open shared object file: No such file or directory\n" + name + ": not found");
    }

    @Test
    void searchesCuda13ThenCuda12AndSaysInOneLineWhatToInstallOrSet() {
        List<String> tried = new ArrayList<>();
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, () -> JnaCublas.open(null, name -> {
            tried.add(name);
            return missing(name);
        }));
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), tried);
        assertEquals("no usable cuBLAS through JNA (libcublas.so.13 not found; libcublas.so.12 not found); install"
                + " cuBLAS of CUDA 13 or 12 (the CUDA toolkit or the nvidia-cublas Python wheel) and add its lib folder"
                + " to LD_LIBRARY_PATH, or set -Dlabelprop.cublas.library=/path/to/libcublas.so.N", e.getMessage());
    }

    @Test
    void anExplicitLibraryIsTheOnlyOneTried() {
        List<String> tried = new ArrayList<>();
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> JnaCublas.open(" /opt/cuda/lib64/libcublas.so.13 ", name -> {
                    tried.add(name);
                    return missing(name);
                }));
        assertEquals(List.of("/opt/cuda/lib64/libcublas.so.13"), tried);
        assertTrue(e.getMessage().startsWith("no usable cuBLAS through JNA (/opt/cuda/lib64/libcublas.so.13:"
                + " libcublas.so.13 not found); install"),
                e.getMessage());
        assertEquals(JnaCublas.DEFAULT_NAMES, JnaCublas.searchOrder(" "));
    }

    @Test
    void theFirstLibraryThatLoadsServesAndTheSearchStops() {
        List<String> tried = new ArrayList<>();
        FakeCublas fake = new FakeCublas();
        fake.version = 120604;
        try (JnaCublas blas = JnaCublas.open(null, name -> {
            tried.add(name);
            return name.endsWith(".12") ? fake : missing(name);
        })) {
            assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), tried);
            assertEquals("JNA (libcublas.so.12)", blas.binding());
            assertEquals("12.6.4", Cublas.versionString(blas.version()));
        }
        assertEquals(List.of("create", "version", "destroy " + HANDLE), fake.calls);
    }

    @Test
    void aLibraryThatCannotCreateAHandlePassesToTheNext() {
        FakeCublas refusing = new FakeCublas();
        refusing.createStatus = 1;
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> JnaCublas.open(null, name -> name.endsWith(".13") ? refusing : missing(name)));
        // No install hint: a library is there, and its status says why it cannot serve.
        assertEquals("no usable cuBLAS through JNA (libcublas.so.13 loaded but cublasCreate_v2:"
                + " CUBLAS_STATUS_NOT_INITIALIZED; libcublas.so.12 not found)", e.getMessage());
    }

    @Test
    void sgemmPassesDeviceAddressesDimensionsAndHostScalars() {
        FakeCublas fake = new FakeCublas();
        try (JnaCublas blas = JnaCublas.open(null, name -> fake)) {
            CUdeviceptr base = new CUdeviceptr();
            blas.sgemm(Cublas.OP_T, Cublas.OP_N, 5, 3, 7, 1.5f, base.withByteOffset(256), 7,
                    base.withByteOffset(1024).withByteOffset(4), 7, -0.5f, base.withByteOffset(4096), 5);
            assertEquals("sgemm " + HANDLE + " 1 0 5 3 7 [1.5] 256 7 1028 7 [-0.5] 4096 5", fake.calls.get(1));
            blas.setStream(null);
            assertEquals("stream null", fake.calls.get(2));
            blas.setMathMode(Cublas.DEFAULT_MATH);
            assertEquals("math 0", fake.calls.get(3));
            fake.sgemmStatus = 7;
            CudaFailure f = assertThrows(CudaFailure.class, () -> blas.sgemm(Cublas.OP_N, Cublas.OP_N, 1, 1, 1, 1f,
                    base, 1, base, 1, 0f, base, 1));
            assertEquals("cublasSgemm_v2: CUBLAS_STATUS_INVALID_VALUE", f.getMessage());
        }
    }

    /**
     * Every value of cublasStatus_t in cublas_api.h (CUDA 12.3 to 13) has its name; JCuda's table, which
     * predates CUBLAS_STATUS_LICENSE_ERROR, agrees on every value it knows.
     */
    @Test
    void statusNamesMatchTheHeaderAndJcudasTable() {
        TreeSet<Integer> named = new TreeSet<>();
        for (int s = -1; s <= 40; s++) {
            if (!CublasStatus.name(s).contains("unknown")) {
                named.add(s);
            }
            if (!cublasStatus.stringFor(s).startsWith("INVALID")) {
                assertEquals(cublasStatus.stringFor(s), CublasStatus.name(s), "status " + s);
            }
        }
        assertEquals(new TreeSet<>(List.of(0, 1, 3, 7, 8, 11, 13, 14, 15, 16)), named);
        assertEquals("CUBLAS_STATUS_LICENSE_ERROR", CublasStatus.name(16));
        assertEquals("cublasStatus_t 2 (unknown)", CublasStatus.name(2));
    }

    @Test
    void addressesIncludeByteOffsetsAndNullIsZero() {
        CUdeviceptr p = new CUdeviceptr();
        assertEquals(0, DeviceAddress.of(p));
        assertEquals(4104, DeviceAddress.of(p.withByteOffset(4096).withByteOffset(8)));
        assertEquals(0, DeviceAddress.of((CUstream) null));
        assertEquals(0, DeviceAddress.of(new CUstream()));
    }

    @Test
    void realJnaLoadsReportMissingFilesAndMissingFunctions() {
        UnsatisfiedLinkError missingFile = assertThrows(UnsatisfiedLinkError.class,
                () -> JnaCublas.open("libcublas-absent.so.99", JnaCublas.NATIVE));
        assertTrue(missingFile.getMessage().startsWith("no usable cuBLAS through JNA (libcublas-absent.so.99 not found)"),
                missingFile.getMessage());
        // libc loads but has no cuBLAS: the missing function is named, and the error stays one line.
        UnsatisfiedLinkError notCublas = assertThrows(UnsatisfiedLinkError.class,
                () -> JnaCublas.open("libc.so.6", JnaCublas.NATIVE));
        assertTrue(notCublas.getMessage().startsWith("no usable cuBLAS through JNA (libc.so.6 loaded but "),
                notCublas.getMessage());
        assertFalse(notCublas.getMessage().contains("install"), notCublas.getMessage());
        assertTrue(notCublas.getMessage().contains("cublasCreate_v2"), notCublas.getMessage());
        assertFalse(notCublas.getMessage().contains("\n"), notCublas.getMessage());
    }

    @Test
    void theLoaderTakesTheFirstBindingThatServesAndConfiguresIt() {
        FakeCublas fake = new FakeCublas();
        fake.version = 130002;
        CublasLoader.Choice choice = CublasLoader.open(List.of(
                new CublasLoader.Candidate("JCublas2", () -> {
                    throw new UnsatisfiedLinkError("/tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12:"
                            + " cannot open shared object file: No such file or directory");
                }),
                new CublasLoader.Candidate("JNA", () -> JnaCublas.open(null, name -> fake))));
        try (Cublas blas = choice.cublas()) {
            assertEquals("cuBLAS 13.0.2 through JNA (libcublas.so.13)", choice.description());
            assertEquals(List.of("create", "stream null", "math 0", "version"), fake.calls);
            assertEquals("JNA (libcublas.so.13)", blas.binding());
        }
    }

    @Test
    void withoutAnyBindingTheLoaderSaysWhyEachFailed() {
        CublasLoader.Choice choice = CublasLoader.open(List.of(
                new CublasLoader.Candidate("JCublas2", () -> {
                    throw new UnsatisfiedLinkError("libcublas.so.12: cannot open shared object file");
                }),
                new CublasLoader.Candidate("JNA", () -> JnaCublas.open(null, CublasBindingTest::missing))));
        assertNull(choice.cublas());
        assertTrue(choice.description().startsWith("cuBLAS not loaded (JCublas2: libcublas.so.12 not found; JNA: no"
                + " usable cuBLAS through JNA (libcublas.so.13 not found; libcublas.so.12 not found); install "),
                choice.description());
        assertTrue(choice.description().endsWith("); own distance kernel"), choice.description());
    }

    @Test
    void aBindingThatRejectsTheMathModeIsClosedAndTheNextTried() {
        FakeCublas rejecting = new FakeCublas();
        rejecting.mathStatus = 15;
        CublasLoader.Choice choice = CublasLoader.open(List.of(
                new CublasLoader.Candidate("JNA", () -> JnaCublas.open(null, name -> rejecting))));
        assertNull(choice.cublas());
        assertEquals("cuBLAS not loaded (JNA: cublasSetMathMode: CUBLAS_STATUS_NOT_SUPPORTED); own distance kernel",
                choice.description());
        assertEquals("destroy " + HANDLE, rejecting.calls.get(rejecting.calls.size() - 1));
    }

    @Test
    void anExplicitLibraryLeavesOnlyTheJnaBinding() {
        assertEquals(List.of("JCublas2", "JNA"), CublasLoader.candidates(null).stream()
                .map(CublasLoader.Candidate::name).toList());
        assertEquals(List.of("JNA"), CublasLoader.candidates("/x/libcublas.so.13").stream()
                .map(CublasLoader.Candidate::name).toList());
    }

    /** Stands in for libcublas: records each call with its arguments and answers the statuses set. */
    private static final class FakeCublas implements JnaCublas.Library {
        final List<String> calls = new ArrayList<>();
        int createStatus;
        int mathStatus;
        int sgemmStatus;
        int version;

        @Override
        public int cublasCreate_v2(PointerByReference handle) {
            calls.add("create");
            handle.setValue(HANDLE);
            return createStatus;
        }

        @Override
        public int cublasDestroy_v2(Pointer handle) {
            calls.add("destroy " + handle);
            return 0;
        }

        @Override
        public int cublasGetVersion_v2(Pointer handle, int[] v) {
            calls.add("version");
            v[0] = version;
            return 0;
        }

        @Override
        public int cublasSetStream_v2(Pointer handle, Pointer stream) {
            calls.add("stream " + stream);
            return 0;
        }

        @Override
        public int cublasSetMathMode(Pointer handle, int mode) {
            calls.add("math " + mode);
            return mathStatus;
        }

        @Override
        public int cublasSgemm_v2(Pointer handle, int transa, int transb, int m, int n, int k, float[] alpha,
                                  Pointer a, int lda, Pointer b, int ldb, float[] beta, Pointer c, int ldc) {
            calls.add("sgemm " + handle + " " + transa + " " + transb + " " + m + " " + n + " " + k + " "
                    + java.util.Arrays.toString(alpha) + " " + Pointer.nativeValue(a) + " " + lda + " "
                    + Pointer.nativeValue(b) + " " + ldb + " " + java.util.Arrays.toString(beta) + " "
                    + Pointer.nativeValue(c) + " " + ldc);
            return sgemmStatus;
        }
    }
}
