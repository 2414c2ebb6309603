package org.labelprop.cuda;

import jcuda.Pointer;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * What both device propagation paths share: Y double-buffered on the device, Y0 and the clamped flags
 * uploaded once, and the two sums of a step (change, mass) accumulated by the kernel into a 16-byte buffer
 * that is read back once per step. Subclasses upload the graph in their format and queue the step.
 */
abstract class DevicePropagator implements Propagator {
    static final int THREADS = 256;
    static final int WARPS = THREADS / 32;

    final CudaDevice dev;
    final int rows;
    final int classes;
    final StepRule rule;
    final DeviceBuffer y0;
    final DeviceBuffer clamped;
    final DeviceBuffer sums;
    DeviceBuffer y;
    DeviceBuffer next;
    private boolean closed;
    private long steps;

    /** @param graphBytes the device bytes the subclass will upload for the graph, for the memory check */
    DevicePropagator(CudaDevice dev, CsrGraph g, PropagationState start, StepRule rule, long graphBytes) {
        this.dev = dev;
        this.rows = g.rows();
        this.classes = start.classes();
        this.rule = rule;
        long yBytes = 4L * rows * classes;
        long need = deviceBytes(graphBytes, rows, classes, rule);
        long[] mem = dev.memory();
        if (need > mem[0]) {
            throw new CudaFailure("propagation on the GPU needs " + need + " bytes of device memory (graph "
                    + graphBytes + ", Y twice and Y0 " + 3 * yBytes + "); " + mem[0] + " of " + mem[1]
                    + " bytes are free: use the cpu backend or fewer classes");
        }
        DeviceBuffer a = null;
        DeviceBuffer b = null;
        DeviceBuffer c = null;
        DeviceBuffer f = null;
        DeviceBuffer s = null;
        try {
            a = dev.alloc(yBytes, "Y");
            b = dev.alloc(yBytes, "Y (second buffer)");
            c = dev.alloc(yBytes, "Y0");
            s = dev.alloc(16, "step sums");
            c.upload(Pointer.to(start.y0()), yBytes);
            if (start.y() == start.y0()) {
                a.copyFrom(c, yBytes); // spreading starts from its prior: one upload, not two
            } else {
                a.upload(Pointer.to(start.y()), yBytes);
            }
            if (rule.clamped() != null) {
                byte[] flags = new byte[rows];
                for (int i = 0; i < rows; i++) {
                    flags[i] = (byte) (rule.clamped()[i] ? 1 : 0);
                }
                f = dev.alloc(rows, "clamped flags");
                f.upload(Pointer.to(flags), rows);
            }
        } catch (RuntimeException e) {
            for (DeviceBuffer x : new DeviceBuffer[] {a, b, c, f, s}) {
                if (x != null) {
                    x.close();
                }
            }
            throw e;
        }
        this.y = a;
        this.next = b;
        this.y0 = c;
        this.clamped = f;
        this.sums = s;
    }

    /** Device memory a propagation needs: the graph, Y twice, Y0, the clamped flags and the sums. */
    static long deviceBytes(long graphBytes, int rows, int classes, StepRule rule) {
        return graphBytes + 3 * 4L * rows * classes + (rule.clamped() == null ? 0 : rows) + 16;
    }

    /** Queues the kernels that write next from y (and, with momentum, the iterate before y that next holds). */
    abstract void queueStep(float momentum);

    @Override
    public final StepResult step(float momentum) {
        rule.requireMomentum(momentum, steps++);
        synchronized (dev) {
            dev.makeCurrent();
            sums.fill32(0, 4);
            queueStep(momentum);
            double[] out = new double[2];
            sums.download(Pointer.to(out), 16);
            DeviceBuffer t = y;
            y = next;
            next = t;
            return new StepResult(out[0], out[1]);
        }
    }

    /** The clamped flags argument, a null pointer where no row is clamped. */
    KernelArgs clampedArg(KernelArgs args) {
        return clamped == null ? args.nullPtr() : args.ptr(clamped);
    }

    @Override
    public final void read(float[] out) {
        synchronized (dev) {
            dev.makeCurrent();
            y.download(Pointer.to(out), 4L * rows * classes);
        }
    }

    @Override
    public void close() {
        synchronized (dev) {
            if (closed) {
                return;
            }
            closed = true;
            if (dev.isClosed()) {
                return; // the device freed everything when it closed
            }
            dev.makeCurrent();
            releaseGraph();
            for (DeviceBuffer x : new DeviceBuffer[] {y, next, y0, clamped, sums}) {
                if (x != null) {
                    x.close();
                }
            }
        }
    }

    /** Frees what the subclass uploaded. */
    abstract void releaseGraph();
}
