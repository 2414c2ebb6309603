package org.labelprop.cuda;

import java.util.concurrent.ForkJoinPool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.labelprop.core.InvalidOptionException;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.Backends;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The GPU backend: kNN through {@link DeviceKnn} and propagation through {@link FusedPropagator}, with
 * {@link #cusparsePropagator} as the cuSPARSE cross-check. Work too small to pay for the transfers runs on
 * the cpu backend instead, said once in one line: kNN below {@value #MIN_KNN_WORK} multiply-adds
 * (queries x base rows x dimensions, e.g. 4096 x 4096 x 8), propagation below {@value #MIN_STEP_WORK}
 * (edges + rows) x classes per step. These thresholds are estimates (a launch and a copy cost tens of
 * microseconds, a CPU does that work in about a millisecond), not measurements; the system property
 * {@value #DELEGATE_PROPERTY}=false sends every size to the GPU. A propagation larger than the device's
 * free memory, and kNN with k above the top-k kernel's limit, run on the cpu backend too. Each kind of
 * hand-over is said once per backend, in one line to the notes the backend was created with. The system property
 * {@value #PROPAGATION_PROPERTY}=cusparse makes {@link #propagator} take the cuSPARSE path, and =fused-warp
 * the one-warp-per-row kernel at any class count, for whole runs (the command line, benchmarks) that can
 * only reach the Backend interface; {@value DeviceKnn#KERNEL_PROPERTY} picks the kNN kernel likewise.
 */
public final class CudaBackend implements Backend {
    public static final String DELEGATE_PROPERTY = "labelprop.cuda.delegateSmall";
    public static final String PROPAGATION_PROPERTY = "labelprop.cuda.propagation";
    static final long MIN_KNN_WORK = 1L << 27;
    static final long MIN_STEP_WORK = 1L << 20;

    private final CudaDevice device;
    private final ForkJoinPool workers;
    private final Consumer<String> notes;
    private final boolean delegateSmall;
    private final DeviceKnn knn;
    private final Set<String> noted = ConcurrentHashMap.newKeySet();
    private Backend cpu;

    /**
     * @param notes receives one line for each kind of work handed to the cpu backend
     * @param delegateSmall whether small problems go to the cpu backend
     * @param knnKernel how kNN computes distance tiles ({@link DeviceKnn.Kernel#CUBLAS} where libcublas loaded)
     */
    CudaBackend(CudaDevice device, ForkJoinPool workers, Consumer<String> notes, boolean delegateSmall,
                DeviceKnn.Kernel knnKernel) {
        this.device = device;
        this.workers = workers;
        this.notes = notes;
        this.delegateSmall = delegateSmall;
        this.knn = new DeviceKnn(device, knnKernel);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "cuda: " + device.description();
    }

    @Override
    public ForkJoinPool workers() {
        return workers;
    }

    @Override
    public Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        long work = (long) queries.rows() * base.rows() * base.cols();
        if (k > KernelImages.TOPK_MAX) {
            return cpu("k", "k = " + k + " is above the GPU top-k limit of " + KernelImages.TOPK_MAX)
                    .nearest(base, queries, k, excludeSelf, progress);
        }
        if (k == 0 || queries.rows() == 0) {
            return new Neighbors(queries.rows(), k, new int[0], new float[0]);
        }
        if (delegateSmall && work < MIN_KNN_WORK) {
            return cpu("small kNN", "kNN of " + work + " multiply-adds is below the GPU threshold of " + MIN_KNN_WORK
                    + " (-D" + DELEGATE_PROPERTY + "=false forces the GPU)")
                    .nearest(base, queries, k, excludeSelf, progress);
        }
        synchronized (device) {
            device.makeCurrent();
            return knn.nearest(base, queries, k, excludeSelf, progress);
        }
    }

    @Override
    public Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule) {
        long work = ((long) graph.edges() + graph.rows()) * start.classes();
        if (delegateSmall && work < MIN_STEP_WORK) {
            return cpu("small step", "a propagation step of " + work + " multiply-adds is below the GPU threshold of "
                    + MIN_STEP_WORK + " (-D" + DELEGATE_PROPERTY + "=false forces the GPU)")
                    .propagator(graph, start, rule);
        }
        String path = System.getProperty(PROPAGATION_PROPERTY, "fused");
        if (path.equals("cusparse")) {
            return cusparsePropagator(graph, start, rule);
        }
        if (!path.equals("fused") && !path.equals("fused-warp")) {
            throw new InvalidOptionException(PROPAGATION_PROPERTY, "must be fused, fused-warp or cusparse, got '"
                    + path + "'");
        }
        synchronized (device) {
            device.makeCurrent();
            long need = DevicePropagator.deviceBytes(FusedPropagator.bytes(graph), graph.rows(), start.classes(), rule);
            long free = device.memory()[0];
            if (need > free) {
                return cpu("memory", "propagation needs " + need + " bytes of device memory and " + free
                        + " are free")
                        .propagator(graph, start, rule);
            }
            return new FusedPropagator(device, graph, start, rule, path.equals("fused")
                    ? FusedPropagator.Kernel.forClasses(start.classes()) : FusedPropagator.Kernel.WARP);
        }
    }

    /**
     * The same steps as {@link #propagator} with cuSPARSE SpMM and a separate update kernel, on the GPU at
     * any size: for cross-checking the fused kernel and for benchmarks.
     *
     * @throws CudaFailure where libcusparse did not load
     */
    public Propagator cusparsePropagator(CsrGraph graph, PropagationState start, StepRule rule) {
        synchronized (device) {
            device.makeCurrent();
            return new CusparsePropagator(device, graph, start, rule);
        }
    }

    /** The cpu backend (or, without it on the class path, the reference one), announced once per kind. */
    private Backend cpu(String kind, String why) {
        Backend b = cpu();
        if (noted.add(kind)) {
            notes.accept("cuda: " + why + "; the " + b.name() + " backend runs it");
        }
        return b;
    }

    private synchronized Backend cpu() {
        if (cpu == null) {
            try {
                cpu = Backends.select("cpu", workers, notes);
            } catch (InvalidOptionException e) {
                // No cpu module on the class path.
                cpu = Backends.select("reference", workers, notes);
            }
        }
        return cpu;
    }

    /** Loops over single rows (NN-Descent's pairs, linear models) stay on the host: the cpu backend's SIMD loops. */
    @Override
    public RowKernels rowKernels() {
        return cpu().rowKernels();
    }

    /** Frees the device memory, handles and modules. */
    @Override
    public synchronized void close() {
        if (cpu != null) {
            cpu.close();
        }
        synchronized (device) {
            device.close();
        }
    }
}
