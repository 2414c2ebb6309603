package org.labelprop.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/** cuBLAS through JCuda's JCublas2, whose natives are linked against {@code libcublas.so.12}. */
final class JcublasBinding implements Cublas {
    private final cublasHandle handle;
    private boolean closed;

    private JcublasBinding(cublasHandle handle) {
        this.handle = handle;
    }

    /**
     * Creates a handle on the current context.
     *
     * @throws LinkageError where JCublas2's natives or libcublas.so.12 do not load
     * @throws CudaFailure where cublasCreate fails
     */
    static JcublasBinding open() {
        JCublas2.setExceptionsEnabled(true);
        cublasHandle h = new cublasHandle();
        CudaCalls.cublas("cublasCreate_v2", () -> JCublas2.cublasCreate(h));
        return new JcublasBinding(h);
    }

    @Override
    public String binding() {
        return "JCublas2 (libcublas.so.12)";
    }

    @Override
    public int version() {
        int[] v = new int[1];
        CudaCalls.cublas("cublasGetVersion_v2", () -> JCublas2.cublasGetVersion(handle, v));
        return v[0];
    }

    @Override
    public void setStream(CUstream stream) {
        // An empty cudaStream_t is the null stream; JCuda is not asked to treat a null object as one.
        cudaStream_t s = stream == null ? new cudaStream_t() : new cudaStream_t(stream);
        CudaCalls.cublas("cublasSetStream_v2", () -> JCublas2.cublasSetStream(handle, s));
    }

    @Override
    public void setMathMode(int mode) {
        CudaCalls.cublas("cublasSetMathMode", () -> JCublas2.cublasSetMathMode(handle, mode));
    }

    @Override
    public void sgemm(int transA, int transB, int m, int n, int k, float alpha, CUdeviceptr a, int lda,
                      CUdeviceptr b, int ldb, float beta, CUdeviceptr c, int ldc) {
        Pointer pa = Pointer.to(new float[] {alpha});
        Pointer pb = Pointer.to(new float[] {beta});
        CudaCalls.cublas("cublasSgemm_v2", () -> JCublas2.cublasSgemm(handle, transA, transB, m, n, k, pa, a, lda,
                b, ldb, pb, c, ldc));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CudaCalls.cublas("cublasDestroy_v2", () -> JCublas2.cublasDestroy(handle));
        }
    }
}
