package org.labelprop.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.jcusparse.JCusparse;
import jcuda.jcusparse.cusparseHandle;
import org.labelprop.core.backend.BackendUnavailableException;

/**
 * The one owner of every CUDA resource of a backend: the device's primary context, the kernel modules,
 * the cuBLAS binding and the cuSPARSE handle (null where those libraries do not load) and every device buffer still
 * allocated. Not thread-safe by itself: callers hold its monitor around each operation.
 */
final class CudaDevice implements AutoCloseable {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final CUdevice device;
    private final CUcontext context;
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Set<DeviceBuffer> buffers = new LinkedHashSet<>();
    private final String description;
    private Cublas cublas;
    private cusparseHandle cusparse;
    private boolean closed;

    private CudaDevice(CUdevice device, CUcontext context) {
        this.device = device;
        this.context = context;
        try {
            String code = loadKernels();
            String blas = openCublas();
            String sparse = openCusparse();
            this.description = describe(code, blas, sparse);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens device {@code ordinal}, or says in one line why the GPU cannot serve: the driver or JCuda's
     * natives do not load, there is no device, or the kernels were not built.
     */
    static CudaDevice open(int ordinal) {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            CudaCalls.driver("cuInit", () -> cuInit(0));
        } catch (LinkageError e) {
            throw BackendUnavailableException.absent("the CUDA driver or JCuda's native library could not load ("
                    + CudaCalls.linkFailure(e) + ")");
        } catch (CudaFailure e) {
            throw BackendUnavailableException.absent("no usable CUDA driver or device: " + e.getMessage());
        }
        int[] count = new int[1];
        CudaCalls.driver("cuDeviceGetCount", () -> cuDeviceGetCount(count));
        if (count[0] <= ordinal) {
            throw count[0] == 0 ? BackendUnavailableException.absent("no CUDA device found")
                    : new BackendUnavailableException("no CUDA device " + ordinal + " (" + count[0] + " found)");
        }
        if (!KernelImages.built()) {
            throw new BackendUnavailableException("the CUDA kernels were not built (nvcc was not on the PATH when"
                    + " the cuda module was built)");
        }
        CUdevice device = new CUdevice();
        CudaCalls.driver("cuDeviceGet", () -> cuDeviceGet(device, ordinal));
        CUcontext context = new CUcontext();
        CudaCalls.driver("cuDevicePrimaryCtxRetain", () -> cuDevicePrimaryCtxRetain(context, device));
        CudaCalls.driver("cuCtxSetCurrent", () -> cuCtxSetCurrent(context));
        try {
            return new CudaDevice(device, context);
        } catch (CudaFailure e) {
            throw new BackendUnavailableException("the CUDA device could not be set up: " + e.getMessage());
        }
    }

    /** Loads each module's fatbin, or its PTX through the driver's JIT where the fatbin has no code for this GPU. */
    private String loadKernels() {
        String how = null;
        for (Map.Entry<String, List<String>> m : KernelImages.ENTRIES.entrySet()) {
            String name = m.getKey();
            CUmodule module = new CUmodule();
            byte[] fatbin = KernelImages.read(name, "fatbin");
            boolean loaded = false;
            if (fatbin != null) {
                try {
                    CudaCalls.driver("cuModuleLoadData(" + name + ".fatbin)", () -> cuModuleLoadData(module, fatbin));
                    loaded = true;
                    how = "machine code";
                } catch (CudaFailure e) {
                    // No machine code for this GPU: the PTX below is the portable way in.
                }
            }
            if (!loaded) {
                byte[] ptx = KernelImages.read(name, "ptx");
                if (ptx == null) {
                    throw new BackendUnavailableException("kernel resource " + name + ".ptx is missing");
                }
                byte[] text = Arrays.copyOf(ptx, ptx.length + 1);
                CudaCalls.driver("cuModuleLoadData(" + name + ".ptx)", () -> cuModuleLoadData(module, text));
                how = "PTX compiled by the driver";
            }
            modules.add(module);
            for (String entry : m.getValue()) {
                CUfunction f = new CUfunction();
                CudaCalls.driver("cuModuleGetFunction(" + entry + ")", () -> cuModuleGetFunction(f, module, entry));
                functions.put(entry, f);
            }
        }
        return how;
    }

    private String openCublas() {
        CublasLoader.Choice choice = CublasLoader.open(
                CublasLoader.candidates(System.getProperty(JnaCublas.LIBRARY_PROPERTY)));
        cublas = choice.cublas();
        return choice.description();
    }

    private String openCusparse() {
        try {
            JCusparse.setExceptionsEnabled(true);
            cusparseHandle h = new cusparseHandle();
            CudaCalls.cusparse("cusparseCreate", () -> JCusparse.cusparseCreate(h));
            cusparse = h;
            int[] v = new int[1];
            CudaCalls.cusparse("cusparseGetVersion", () -> JCusparse.cusparseGetVersion(h, v));
            return "libcusparse " + cusparseVersion(v[0]);
        } catch (LinkageError e) {
            return "libcusparse not loaded (" + CudaCalls.linkFailure(e) + ")";
        } catch (CudaFailure e) {
            if (cusparse != null) {
                JCusparse.cusparseDestroy(cusparse);
                cusparse = null;
            }
            return "libcusparse not usable (" + e.getMessage() + ")";
        }
    }

    /** cuSPARSE versions are major * 1000 + minor * 100 + patch (12.5.4 is 12504). */
    private static String cusparseVersion(int v) {
        return (v / 1000) + "." + (v % 1000 / 100) + "." + (v % 100);
    }

    private String describe(String code, String blas, String sparse) {
        byte[] name = new byte[256];
        CudaCalls.driver("cuDeviceGetName", () -> cuDeviceGetName(name, name.length, device));
        String deviceName = new String(name, 0, indexOfZero(name), java.nio.charset.StandardCharsets.US_ASCII);
        long[] total = new long[1];
        CudaCalls.driver("cuDeviceTotalMem", () -> cuDeviceTotalMem(total, device));
        int[] driver = new int[1];
        CudaCalls.driver("cuDriverGetVersion", () -> cuDriverGetVersion(driver));
        int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        return String.format(Locale.ROOT, "%s (sm_%d%d, %d SMs, %.1f GiB), driver CUDA %d.%d, kernels as %s, %s, %s",
                deviceName, major, minor, sms, total[0] / GIB, driver[0] / 1000, driver[0] % 1000 / 10, code, blas,
                sparse);
    }

    private static int indexOfZero(byte[] s) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) {
                return i;
            }
        }
        return s.length;
    }

    private int attribute(int which) {
        int[] v = new int[1];
        CudaCalls.driver("cuDeviceGetAttribute", () -> cuDeviceGetAttribute(v, which, device));
        return v[0];
    }

    /** Device name, compute capability, memory, driver, how the kernels loaded and which libraries did. */
    String description() {
        return description;
    }

    /** Binds this device's context to the calling thread; every entry point calls it first. */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA device was closed");
        }
        CudaCalls.driver("cuCtxSetCurrent", () -> cuCtxSetCurrent(context));
    }

    boolean isClosed() {
        return closed;
    }

    /** The cuBLAS binding, or null where neither binding loaded. */
    Cublas cublas() {
        return cublas;
    }

    /** The cuSPARSE handle, or null where libcusparse did not load. */
    cusparseHandle cusparse() {
        return cusparse;
    }

    /** Free and total device memory in bytes. */
    long[] memory() {
        long[] free = new long[1];
        long[] total = new long[1];
        CudaCalls.driver("cuMemGetInfo", () -> cuMemGetInfo(free, total));
        return new long[] {free[0], total[0]};
    }

    /** Allocates {@code bytes} (at least 4, so empty inputs still get a valid address) for {@code what}. */
    DeviceBuffer alloc(long bytes, String what) {
        long size = Math.max(bytes, 4);
        CUdeviceptr p = new CUdeviceptr();
        try {
            CudaCalls.driver("cuMemAlloc", () -> cuMemAlloc(p, size));
        } catch (CudaFailure e) {
            long[] mem = memory();
            throw new CudaFailure(e.getMessage() + " allocating " + what + ": " + size + " bytes needed, " + mem[0]
                    + " of " + mem[1] + " bytes free on the device");
        }
        DeviceBuffer b = new DeviceBuffer(this, p, size);
        buffers.add(b);
        return b;
    }

    void free(DeviceBuffer b) {
        if (buffers.remove(b)) {
            CudaCalls.driver("cuMemFree", () -> cuMemFree(b.ptr));
        }
    }

    /** Launches {@code kernel} on a 1-D or 2-D grid on the default stream. */
    void launch(String kernel, long gridX, int gridY, int block, KernelArgs args) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalArgumentException("no kernel " + kernel);
        }
        if (gridX > Integer.MAX_VALUE || gridY > 65535) {
            throw new CudaFailure("cuLaunchKernel(" + kernel + "): grid " + gridX + " x " + gridY + " too large");
        }
        int gx = (int) Math.max(1, gridX);
        CudaCalls.driver("cuLaunchKernel(" + kernel + ")",
                () -> cuLaunchKernel(f, gx, Math.max(1, gridY), 1, block, 1, 1, 0, null, args.pointer(), null));
    }

    /** Waits for queued work; surfaces errors of asynchronous launches under the name of what was running. */
    void synchronize(String what) {
        CudaCalls.driver("cuCtxSynchronize after " + what, JCudaDriver::cuCtxSynchronize);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cuCtxSetCurrent(context);
        for (DeviceBuffer b : new ArrayList<>(buffers)) {
            b.close();
        }
        if (cublas != null) {
            cublas.close();
        }
        if (cusparse != null) {
            JCusparse.cusparseDestroy(cusparse);
        }
        for (CUmodule m : modules) {
            cuModuleUnload(m);
        }
        cuDevicePrimaryCtxRelease(device);
    }
}
