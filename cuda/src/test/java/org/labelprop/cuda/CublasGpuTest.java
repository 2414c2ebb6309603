package org.labelprop.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import jcuda.Pointer;
import jcuda.driver.CUstream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SGEMM through each cuBLAS binding that loads here, against a double-precision product on the CPU: the
 * transposes DeviceKnn uses, operands at byte offsets into their buffers (so the JNA binding's addresses
 * include JCuda's offsets), a nonzero beta and a stream of its own. Skipped without a GPU, and per binding
 * with the reason where that binding's library does not load.
 */
class CublasGpuTest {
    /** Relative to max(1, |value|), as in CudaBackendTest. */
    private static final double TOL = 1e-4;

    private CudaDevice device;

    @BeforeEach
    void device() {
        device = GpuAvailability.deviceOrSkip();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JCublas2", "JNA"})
    void sgemmMatchesTheCpu(String binding) {
        Supplier<Cublas> open = binding.equals("JNA") ? () -> JnaCublas.open(
                System.getProperty(JnaCublas.LIBRARY_PROPERTY), JnaCublas.NATIVE) : JcublasBinding::open;
        synchronized (device) {
            device.makeCurrent();
            Cublas blas;
            try {
                blas = open.get();
            } catch (LinkageError e) {
                Assumptions.abort(binding + " does not load here: " + CudaCalls.linkFailure(e));
                return;
            }
            try (blas) {
                int version = blas.version();
                assertTrue(version >= 110000, binding + " reports cuBLAS version " + version);
                check(blas, 37, 19, 53);
                check(blas, 1, 1, 1);
                check(blas, 130, 257, 784);
                // bench/scripts/gpu-check.sh puts this line in its summary.
                System.out.println(binding + ": SGEMM matches the CPU, cuBLAS " + Cublas.versionString(version)
                        + " through " + blas.binding());
            }
        }
    }

    /** C (m x n, column-major) = 1.5 A^T B - 0.5 C with A k x m and B k x n column-major, as DeviceKnn calls it. */
    private void check(Cublas blas, int m, int n, int k) {
        Random r = new Random(31L * m + n + k);
        float[] a = random(r, k * m);
        float[] b = random(r, k * n);
        float[] c = random(r, m * n);
        long offA = 64;
        long offB = 4;
        long offC = 256;
        CUstream stream = new CUstream();
        CudaCalls.driver("cuStreamCreate", () -> cuStreamCreate(stream, 0));
        try (DeviceBuffer da = device.alloc(4L * a.length + offA, "A");
             DeviceBuffer db = device.alloc(4L * b.length + offB, "B");
             DeviceBuffer dc = device.alloc(4L * c.length + offC, "C")) {
            da.upload(Pointer.to(a), 4L * a.length, offA);
            db.upload(Pointer.to(b), 4L * b.length, offB);
            dc.upload(Pointer.to(c), 4L * c.length, offC);
            blas.setStream(stream);
            blas.sgemm(Cublas.OP_T, Cublas.OP_N, m, n, k, 1.5f, da.at(offA), k, db.at(offB), k, -0.5f, dc.at(offC), m);
            CudaCalls.driver("cuStreamSynchronize", () -> cuStreamSynchronize(stream));
            blas.setStream(null);
            float[] got = new float[c.length];
            CudaCalls.driver("cuMemcpyDtoH", () -> cuMemcpyDtoH(Pointer.to(got), dc.at(offC), 4L * got.length));
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double dot = 0;
                    for (int p = 0; p < k; p++) {
                        dot += (double) a[p + i * k] * b[p + j * k];
                    }
                    double want = 1.5 * dot - 0.5 * c[i + j * m];
                    assertEquals(want, got[i + j * m], TOL * Math.max(1, Math.abs(want)),
                            blas.binding() + " C[" + i + "," + j + "] of " + m + " x " + n + " x " + k);
                }
            }
        } finally {
            CudaCalls.driver("cuStreamDestroy", () -> cuStreamDestroy(stream));
        }
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }
}
