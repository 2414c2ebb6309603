package org.labelprop.cuda;

import jcuda.Pointer;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * The production path: one kernel launch per step (SpMM, update, residual fused), by one of the
 * {@link Kernel}s: {@link Kernel#forClasses} picks the slot kernel up to {@value #SLOTS_MAX_CLASSES} classes
 * (a warp gathers several edges of its row at once), the warp kernel above.
 */
final class FusedPropagator extends DevicePropagator {
    static final int SLOTS_MAX_CLASSES = 16;

    /** The step kernels; the slot kernel needs classes <= {@value #SLOTS_MAX_CLASSES}. */
    enum Kernel {
        /** propagate_step_f32: a warp per row, lanes over the classes, one edge at a time. */
        WARP("propagate_step_f32"),
        /** propagate_step_slots_f32: slots of lanes gather 2 edges each per round, a warp per row. */
        SLOTS("propagate_step_slots_f32");

        final String entry;

        Kernel(String entry) {
            this.entry = entry;
        }

        /** The production choice for a class count. */
        static Kernel forClasses(int classes) {
            return classes <= SLOTS_MAX_CLASSES ? SLOTS : WARP;
        }
    }

    private final Kernel kernel;
    private final DeviceBuffer rowPtr;
    private final DeviceBuffer col;
    private final DeviceBuffer weight;

    /** @param kernel SLOTS with more than {@value #SLOTS_MAX_CLASSES} classes runs as WARP */
    FusedPropagator(CudaDevice dev, CsrGraph g, PropagationState start, StepRule rule, Kernel kernel) {
        super(dev, g, start, rule, bytes(g));
        this.kernel = classes > SLOTS_MAX_CLASSES ? Kernel.WARP : kernel;
        long edges = g.edges();
        DeviceBuffer r = null;
        DeviceBuffer c = null;
        DeviceBuffer w = null;
        try {
            // 64-bit row offsets: the kernel's counts stay right once graphs outgrow Java's arrays.
            long[] ptr = new long[rows + 1];
            for (int i = 0; i <= rows; i++) {
                ptr[i] = g.rowPtr()[i];
            }
            r = dev.alloc(8L * (rows + 1), "graph row offsets");
            r.upload(Pointer.to(ptr), 8L * (rows + 1));
            c = dev.alloc(4L * edges, "graph columns");
            c.upload(Pointer.to(g.col()), 4L * edges);
            w = dev.alloc(4L * edges, "graph weights");
            w.upload(Pointer.to(g.weight()), 4L * edges);
        } catch (RuntimeException e) {
            for (DeviceBuffer x : new DeviceBuffer[] {r, c, w}) {
                if (x != null) {
                    x.close();
                }
            }
            close();
            throw e;
        }
        this.rowPtr = r;
        this.col = c;
        this.weight = w;
    }

    static long bytes(CsrGraph g) {
        return 8L * (g.rows() + 1) + 8L * g.edges();
    }

    @Override
    void queueStep(float momentum) {
        dev.launch(kernel.entry, ((long) rows + WARPS - 1) / WARPS, 1, THREADS,
                clampedArg(new KernelArgs().i64(rows).i32(classes).ptr(rowPtr).ptr(col).ptr(weight).ptr(y).ptr(y0)
                        .ptr(next)).f32(rule.alpha()).f32(rule.beta()).i32(rule.normalizeRows() ? 1 : 0)
                        .f32(momentum).ptr(sums));
    }

    @Override
    void releaseGraph() {
        for (DeviceBuffer x : new DeviceBuffer[] {rowPtr, col, weight}) {
            if (x != null) {
                x.close();
            }
        }
    }
}
