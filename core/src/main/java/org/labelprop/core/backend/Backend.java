package org.labelprop.core.backend;

import java.util.concurrent.ForkJoinPool;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Progress;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The heavy kernels of graph-based learning, which each backend (plain Java, Vector API, CUDA) implements
 * its own way: exact nearest-neighbour tiles, one propagation step, and the loops over single rows
 * ({@link RowKernels}). Everything else (metrics, weights, symmetrization, the algorithms' loops) lives in
 * core and is shared.
 *
 * <p>Lifetime: whoever selects a backend ({@link Backends#select}) owns it and closes it, e.g. in
 * try-with-resources. Closing frees what the backend holds (a GPU context, device memory); it never shuts
 * down the {@link #workers() worker pool}, which belongs to whoever created the backend with it.
 */
public interface Backend extends AutoCloseable {
    /** Short name used to select it: reference, cpu, cuda. */
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
     * As {@link #nearest} (no self-exclusion) for the rows {@code queries} names, for a caller that holds the
     * rows' norms or already holds candidates for each query, for instance from an inverted file's other lists:
     * the backend may leave out base rows whose squared distance exceeds {@code ceilings[q]}, filling the places
     * left with index -1 and distance +infinity, and so skip most candidates early. Rows it does return are those
     * {@code nearest} would return, in the same order. The queries are named by index so that a backend can
     * gather them block by block instead of the caller copying them (an inverted file's lists copied 1.7 GB of
     * Fashion-MNIST's rows, in fresh arrays whose page faults cost more than the search). The default copies
     * them and ignores the ceilings, which is also correct.
     *
     * @param ceilings one per query, or null for none
     */
    default Neighbors nearestWithin(FloatMatrix base, PickedRows queries, int k, float[] ceilings,
                                    Progress progress) {
        return nearest(base, queries.selected(), k, false, progress);
    }

    /**
     * {@link #nearestWithin} both ways over the same pairs: {@link TwoWayNeighbors#ofQueries()} holds each query's
     * k nearest base rows (past {@code queryCeilings[q]} left out as there), and {@link TwoWayNeighbors#ofBase()}
     * each base row's k nearest among the queries (past {@code baseCeilings[b]} left out); both name rows by
     * their positions in the other side's {@link PickedRows#rows()}. Each side has at most as many entries per
     * row as the other side has rows. An inverted file uses the second side to hand every list's members the
     * rows that probed their list, which raises recall at the same products (docs/benchmarks.md, "Seventh
     * pass"). A backend computes each pair's distance once and offers it to both sides, as the same float that
     * its {@link #nearest} would give with either row as the query; the default makes two calls, the second
     * with the roles swapped, which is also correct.
     *
     * @param queryCeilings one per query, or null for none
     * @param baseCeilings one per base row, or null for none
     */
    default TwoWayNeighbors nearestBothWays(PickedRows base, PickedRows queries, int k, float[] queryCeilings,
                                            float[] baseCeilings) {
        Neighbors ofQueries = nearestWithin(base.selected(), queries, Math.min(k, base.count()), queryCeilings,
                Progress.NONE);
        Neighbors ofBase = nearestWithin(queries.selected(), base, Math.min(k, queries.count()), baseCeilings,
                Progress.NONE);
        return new TwoWayNeighbors(ofQueries, ofBase);
    }

    /**
     * Every pair of rows of {@code x} within its row's ceiling: row i's edges are the rows j != i whose squared
     * distance is at most {@code ceilings[i]}, columns ascending, each weighted by that squared distance. Distances
     * may carry the same float rounding as {@link #nearest}'s, so a pair within rounding of the ceiling may be
     * either side of it. A radius search: the pruned exact search ({@code PrunedExactSearch} in the search package)
     * collects with it every row whose lower bound does not rule it out. The default is the plain all-pairs loop
     * of the reference backend (distances as {@link FloatMatrix#squaredDistance}, rounded to float).
     */
    default CsrGraph pairsWithin(FloatMatrix x, float[] ceilings) {
        int n = x.rows();
        if (ceilings.length != n) {
            throw new IllegalArgumentException(ceilings.length + " ceilings for " + n + " rows");
        }
        TopK[] lists = new TopK[n];
        workers().submit(() -> java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            TopK within = TopK.within(ceilings[i]);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    float d = (float) x.squaredDistance(i, x, j);
                    if (d <= within.bound()) {
                        within.offer(d, j);
                    }
                }
            }
            lists[i] = within;
        })).join();
        return TopK.drainByIndex(lists);
    }

    /**
     * Whether {@link #pairsWithin} runs in tiles as fast as {@link #nearest}'s, so that a search may build on it: the
     * plain default is there for correctness, at the all-pairs loop's speed.
     */
    default boolean tiledPairsWithin() {
        return false;
    }

    /**
     * Whether its searches ({@link #nearest}, {@link #nearestWithin}, {@link #nearestBothWays}) may be called
     * from several threads at once, e.g. from tasks running in {@link #workers()}. An inverted file then
     * searches its lists in parallel, which lets it skip the pairs two lists would both compute. Backends that
     * hold one device context (cuda) say no.
     */
    default boolean concurrentSearches() {
        return false;
    }

    /**
     * A propagator iterating {@code Y <- rule(G Y)} over this graph, starting from {@code start}.
     * The graph's weights are used as given: algorithms normalize them before calling.
     */
    Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule);

    /**
     * The threads this backend's kernels run on, and which the stages shared by all backends (distance
     * refinement, NN-Descent, k-means, model fits) submit their parallel loops to. Given to the backend when
     * it was created and owned by its creator: {@link #close()} leaves it running.
     */
    ForkJoinPool workers();

    /** Loops over one or two rows (pair distances, linear-model rows), SIMD where the backend has them. */
    default RowKernels rowKernels() {
        return RowKernels.PLAIN;
    }

    /**
     * The row loops for a job of about {@code work} multiply-adds that is part of a kNN search (the exact
     * re-measure of its chosen pairs): a backend whose SIMD loops need JIT warm-up may give the plain ones to
     * small jobs, as it runs their searches. {@link #rowKernels()} by default.
     */
    default RowKernels rowKernels(long work) {
        return rowKernels();
    }

    /** Frees what this backend holds besides the worker pool; a no-op unless it holds native resources. */
    @Override
    default void close() {
    }
}
