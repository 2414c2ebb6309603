package org.labelprop.cuda;

import static jcuda.jcusparse.JCusparse.cusparseCreateCsr;
import static jcuda.jcusparse.JCusparse.cusparseCreateDnMat;
import static jcuda.jcusparse.JCusparse.cusparseDestroyDnMat;
import static jcuda.jcusparse.JCusparse.cusparseDestroySpMat;
import static jcuda.jcusparse.JCusparse.cusparseDnMatSetValues;
import static jcuda.jcusparse.JCusparse.cusparseSpMM;
import static jcuda.jcusparse.JCusparse.cusparseSpMM_bufferSize;

import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.jcusparse.cusparseDnMatDescr;
import jcuda.jcusparse.cusparseIndexBase;
import jcuda.jcusparse.cusparseIndexType;
import jcuda.jcusparse.cusparseOperation;
import jcuda.jcusparse.cusparseOrder;
import jcuda.jcusparse.cusparseSpMMAlg;
import jcuda.jcusparse.cusparseSpMatDescr;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.graph.CsrGraph;

/**
 * The cross-check and benchmark baseline: cuSPARSE SpMM writes G Y into next, then step_update_f32 applies
 * the rule in place and reduces the residual. Two launches and one extra pass over next per step, which
 * the fused kernel saves. With momentum m the SpMM, whose output starts as the iterate before Y, computes
 * m alpha G Y + (1 - m) next, and the update adds m beta Y0: the rule's value, rounded in another order.
 */
final class CusparsePropagator extends DevicePropagator {
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});
    private static final int PLAIN = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
    private static final int ALG = cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT;

    private final DeviceBuffer rowPtr;
    private final DeviceBuffer col;
    private final DeviceBuffer weight;
    private final cusparseSpMatDescr graph = new cusparseSpMatDescr();
    private final cusparseDnMatDescr in = new cusparseDnMatDescr();
    private final cusparseDnMatDescr out = new cusparseDnMatDescr();
    private DeviceBuffer workspace;
    private boolean described;

    CusparsePropagator(CudaDevice dev, CsrGraph g, PropagationState start, StepRule rule) {
        super(dev, g, start, rule, bytes(g));
        if (dev.cusparse() == null) {
            close();
            throw new CudaFailure("the cuSPARSE propagation path needs libcusparse, which did not load");
        }
        long edges = g.edges();
        try {
            rowPtr = dev.alloc(4L * (rows + 1), "graph row offsets");
            rowPtr.upload(Pointer.to(g.rowPtr()), 4L * (rows + 1));
            col = dev.alloc(4L * edges, "graph columns");
            col.upload(Pointer.to(g.col()), 4L * edges);
            weight = dev.alloc(4L * edges, "graph weights");
            weight.upload(Pointer.to(g.weight()), 4L * edges);
            CudaCalls.cusparse("cusparseCreateCsr", () -> cusparseCreateCsr(graph, rows, rows, edges, rowPtr.ptr,
                    col.ptr, weight.ptr, cusparseIndexType.CUSPARSE_INDEX_32I, cusparseIndexType.CUSPARSE_INDEX_32I,
                    cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO, cudaDataType.CUDA_R_32F));
            CudaCalls.cusparse("cusparseCreateDnMat", () -> cusparseCreateDnMat(in, rows, classes, classes, y.ptr,
                    cudaDataType.CUDA_R_32F, cusparseOrder.CUSPARSE_ORDER_ROW));
            CudaCalls.cusparse("cusparseCreateDnMat", () -> cusparseCreateDnMat(out, rows, classes, classes, next.ptr,
                    cudaDataType.CUDA_R_32F, cusparseOrder.CUSPARSE_ORDER_ROW));
            described = true;
            long[] size = new long[1];
            CudaCalls.cusparse("cusparseSpMM_bufferSize", () -> cusparseSpMM_bufferSize(dev.cusparse(), PLAIN, PLAIN,
                    ONE, graph.asConst(), in.asConst(), ZERO, out, cudaDataType.CUDA_R_32F, ALG, size));
            workspace = dev.alloc(size[0], "cuSPARSE SpMM workspace");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static long bytes(CsrGraph g) {
        return 4L * (g.rows() + 1) + 8L * g.edges();
    }

    @Override
    void queueStep(float momentum) {
        boolean plain = momentum == 1f;
        Pointer spmmAlpha = plain ? ONE : Pointer.to(new float[] {momentum * rule.alpha()});
        Pointer spmmBeta = plain ? ZERO : Pointer.to(new float[] {1f - momentum});
        float updateAlpha = plain ? rule.alpha() : 1f;
        float updateBeta = plain ? rule.beta() : momentum * rule.beta();
        CudaCalls.cusparse("cusparseDnMatSetValues", () -> cusparseDnMatSetValues(in, y.ptr));
        CudaCalls.cusparse("cusparseDnMatSetValues", () -> cusparseDnMatSetValues(out, next.ptr));
        CudaCalls.cusparse("cusparseSpMM", () -> cusparseSpMM(dev.cusparse(), PLAIN, PLAIN, spmmAlpha,
                graph.asConst(), in.asConst(), spmmBeta, out, cudaDataType.CUDA_R_32F, ALG, workspace.ptr));
        dev.launch("step_update_f32", ((long) rows + WARPS - 1) / WARPS, 1, THREADS,
                clampedArg(new KernelArgs().i64(rows).i32(classes).ptr(y).ptr(y0).ptr(next)).f32(updateAlpha)
                        .f32(updateBeta).i32(rule.normalizeRows() ? 1 : 0).ptr(sums));
    }

    @Override
    void releaseGraph() {
        if (described) {
            cusparseDestroyDnMat(in.asConst());
            cusparseDestroyDnMat(out.asConst());
            cusparseDestroySpMat(graph.asConst());
        }
        for (DeviceBuffer x : new DeviceBuffer[] {rowPtr, col, weight, workspace}) {
            if (x != null) {
                x.close();
            }
        }
    }
}
