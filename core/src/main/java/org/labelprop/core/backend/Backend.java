package org.labelprop.core.backend;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The two heavy kernels of graph-based learning, which each backend (plain Java, Vector API, CUDA)
 * implements its own way. Everything else (metrics, weights, symmetrization, the algorithms' loops)
 * lives in core and is shared.
 */
public interface Backend {
    /** Short name used by {@code --backend} and {@code labelprop.backend}: reference, cpu, cuda. */
    String name();

    /** One line on how this backend runs (e.g. SIMD width and threads), for logs and {@code info}. */
    String description();

    /**
     * Exact nearest neighbours by squared euclidean distance: for each row of {@code queries}, the
     * {@code k} rows of {@code base} closest to it, sorted by (distance, index) so ties resolve the same
     * everywhere. Distances returned are squared and may carry float rounding; callers recompute exact
     * distances for the chosen neighbours.
     *
     * @param excludeSelf when true, {@code queries} is {@code base} and row i never lists itself
     * @param k at most {@code base.rows()}, minus one when excluding self
     */
    Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress);

    /**
     * A propagator iterating {@code Y <- rule(G Y)} over this graph, starting from {@code start}.
     * The graph's weights are used as given: algorithms normalize them before calling.
     */
    Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule);

    /** The pool this backend's kernels run on; stages shared by all backends (refinement, NN-Descent) use it. */
    default ForkJoinPool pool() {
        return ForkJoinPool.commonPool();
    }

    /**
     * Squared euclidean distance between two rows of {@code x}, for algorithms that visit pairs one at a
     * time (NN-Descent) rather than in tiles. The default is the reference's scalar loop.
     */
    default PairDistance pairDistance(FloatMatrix x) {
        return (i, j) -> (float) ReferenceBackend.squaredDistance(x, i, x, j);
    }

    /** The dense loops of linear models (logistic regression); the default is {@link LinearKernels#SCALAR}. */
    default LinearKernels linear() {
        return LinearKernels.SCALAR;
    }
}
