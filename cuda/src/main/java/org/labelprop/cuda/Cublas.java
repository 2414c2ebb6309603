package org.labelprop.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * The cuBLAS calls the backend makes, behind one interface because two bindings reach the library: JCuda's
 * {@link JcublasBinding}, whose natives link against {@code libcublas.so.12} only, and {@link JnaCublas},
 * which opens {@code libcublas.so.13} (CUDA 13 hosts ship no .12) or .12 by name. {@link CublasLoader}
 * picks the first that loads. One instance owns one cuBLAS handle, bound to the current CUDA context;
 * every call is checked and a failure is a {@link CudaFailure} naming the call and the status
 * ("cublasSgemm_v2: CUBLAS_STATUS_INVALID_VALUE").
 */
interface Cublas extends AutoCloseable {
    /** cublasOperation_t. */
    int OP_N = 0;
    int OP_T = 1;
    /** cublasMath_t: plain FP32, no TF32 tensor cores. */
    int DEFAULT_MATH = 0;

    /** Which binding and which library file, e.g. "JNA (libcublas.so.13)". */
    String binding();

    /** cublasGetVersion: major * 10000 + minor * 100 + patch. */
    int version();

    /** Binds later calls to {@code stream}; null is the legacy default stream, the one kernels launch on. */
    void setStream(CUstream stream);

    void setMathMode(int mode);

    /** Column-major C (m x n) = alpha op(A) op(B) + beta C on device memory, with host scalars. */
    void sgemm(int transA, int transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda, CUdeviceptr b,
               int ldb, float beta, CUdeviceptr c, int ldc);

    /** Destroys the handle (idempotent). */
    @Override
    void close();

    /** "13.0.2" from cublasGetVersion's 130002 (cuBLAS counts minor versions in hundreds since 11.x). */
    static String versionString(int v) {
        return (v / 10000) + "." + (v % 10000 / 100) + "." + (v % 100);
    }
}
