package org.labelprop.cpu;

import java.lang.ref.SoftReference;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.Memory;
import org.labelprop.core.Parallel;
import org.labelprop.core.Progress;
import org.labelprop.core.backend.Backend;
import org.labelprop.core.backend.PickedRows;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.PropagationState;
import org.labelprop.core.backend.Propagator;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.backend.TopK;
import org.labelprop.core.backend.TwoWayNeighbors;
import org.labelprop.core.graph.CsrGraph;
import org.labelprop.core.graph.Neighbors;

/**
 * The production CPU backend: exact kNN as blocked dot-product tiles (the GEMM formulation
 * |x|^2 - 2 x.y + |y|^2 with precomputed norms, the base packed once into {@link Panels}) with top-k
 * selection fused into the tile loop, so no n x n matrix ever exists; propagation as a row-blocked SpMM fused with the step's update. Work is
 * split over the given ForkJoinPool; the arithmetic is in {@link Kernels}.
 */
public final class CpuBackend implements Backend {
    /** Query rows per task (a multiple of both register blocks' rows, 6 and 3): each task keeps this many top-k lists. */
    static final int QUERY_BLOCK = 96;
    /** Base rows per tile: 256 rows of 784 floats is about 800 KB, sized to stay in L2 while reused. */
    static final int BASE_BLOCK = 256;
    /**
     * Rows per block of a self-join: both sides of a tile; a multiple of both register blocks' rows and of
     * their panel groups at every vector width up to 512 bits.
     */
    static final int SELF_BLOCK = 96;
    /**
     * Most blocks a self-join task's query rows span ({@link #selfJoinGroup}). Four measured best on a 2 MB L2 at 784
     * features (exact 20,000 rows, 1.35 -> 1.17 s on AVX-512, 2.25 -> 2.0 s on AVX2; six and eight slower).
     */
    static final int MAX_SELF_GROUP = 4;
    /** The share of L2 a self-join task's query rows may fill; the rest holds the base tile's panels and the tile. */
    static final double SELF_GROUP_L2_SHARE = 0.6;
    /** Rows per propagation task; fixed, so residual sums add up in the same order on any thread count. */
    static final int ROW_BLOCK = 4096;

    /**
     * Largest Y (rows x padded classes x 4 bytes) stepped on {@link SlicedRows}. Slices finish rows in their
     * degree order, so the reads of Y's own rows and the writes of next jump about within a block; where Y
     * stays in cache that costs nothing, and the Fashion-MNIST step (Y 4.5 MB) ran 10-20% faster. On a
     * 10M-row random graph (Y 640 MB) those jumps missed the cache, and the step took 1.30 s against 1.00 s
     * on CSR, plus 0.8 GB for the sliced copy of the graph (docs/benchmarks.md, fourth pass). Between the
     * two nothing was measured: 16 MB keeps the three class matrices of a step within a server's L3.
     */
    static final long SLICED_MAX_Y_BYTES = 16L << 20;

    /**
     * Multiply-adds of kNN search (queries x base rows x features, and the re-measure of the chosen pairs through
     * {@link #rowKernels(long)}) that a backend runs on the scalar kernels before its first Vector API search:
     * until C2 has compiled it, Vector API code runs interpreted or through C1, which does not intrinsify it,
     * far slower than plain loops, so a small job would spend seconds warming it up (1,797 x 64, scikit-learn's
     * digits, 2.1e8: graph 0.33 s scalar against 1.6 s Vector API in a fresh JVM). The budget is spent call by
     * call and never refilled: a search that does not fit in what is left, and every search after it, takes the
     * Vector API. A per-call size rule would send the inverted file's many small list searches to the scalar
     * kernels for good, 20 times slower once compiled (12 against 230 GFLOP/s on one core).
     */
    static final long SMALL_KNN_WORK = 1L << 28;
    /** The same for a propagation step, in (edges + rows) x classes. */
    static final long SMALL_STEP_WORK = 1L << 20;

    private final ForkJoinPool pool;
    private final Kernels kernels;
    /** The kernels for small problems: scalar, compiled by C1 within milliseconds. */
    private final Kernels small = new ScalarKernels();
    /** What is left of {@link #SMALL_KNN_WORK} for this backend; 0 once a search took the Vector API. */
    private final AtomicLong scalarBudget;
    private final long smallStepWork;
    /**
     * The packed base of the last search, for the next search to pack into. A new array of that size is a
     * G1 humongous object, and where it lands on heap regions no earlier array has touched, zeroing it maps
     * those pages one fault at a time, on the calling thread while the workers wait: on a 2-vCPU cloud VM,
     * 20 ms for the 6.3 MB of a 2001 x 784 self-join whose products take 14 ms. Whether it landed there
     * changed with each collection, so repeated searches in one JVM ran at about 16 or about 38 ms in
     * stretches, and a JVM's best of 30 was sometimes the slow one (taken then for two outcomes of C2).
     * Held softly, so a collection short of heap (such as the one {@link Memory#require} asks for) can take it.
     */
    private final AtomicReference<SoftReference<float[]>> spareBase = new AtomicReference<>();
    /** A core's L2 in bytes ({@link CacheSize}), which sizes the self-join's query groups. */
    private final long l2Bytes;

    /** A backend that runs every problem on {@code kernels} (tests compare kernel sets this way). */
    CpuBackend(ForkJoinPool pool, Kernels kernels) {
        this(pool, kernels, CacheSize.l2Bytes());
    }

    /** The same, blocked for an L2 of {@code l2Bytes} whatever this machine's is (tests run every grouping). */
    CpuBackend(ForkJoinPool pool, Kernels kernels, long l2Bytes) {
        this(pool, kernels, 0, 0, l2Bytes);
    }

    /** The production backend: {@code kernels}, and the scalar ones for problems below the small-work sizes. */
    static CpuBackend withScalarForSmallWork(ForkJoinPool pool, Kernels kernels) {
        return new CpuBackend(pool, kernels, SMALL_KNN_WORK, SMALL_STEP_WORK, CacheSize.l2Bytes());
    }

    private CpuBackend(ForkJoinPool pool, Kernels kernels, long smallKnnWork, long smallStepWork, long l2Bytes) {
        this.scalarBudget = new AtomicLong(smallKnnWork);
        this.smallStepWork = smallStepWork;
        this.pool = pool;
        this.kernels = kernels;
        this.l2Bytes = l2Bytes;
    }

    /** Its searches keep their state in local variables and run their loops in the pool: safe from any thread. */
    @Override
    public boolean concurrentSearches() {
        return true;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public ForkJoinPool workers() {
        return pool;
    }

    /** The Vector API's row loops where the Vector API loaded, else the plain ones. */
    @Override
    public RowKernels rowKernels() {
        return kernels instanceof RowKernels r ? r : RowKernels.PLAIN;
    }

    /**
     * The plain loops while the work fits in what is left of {@link #SMALL_KNN_WORK} (spending it, as a search
     * does), else {@link #rowKernels()}. Scikit-learn's digits (1,797 x 64) re-measured their 20,000 pairs with
     * the Vector API's loops before C2 had compiled them: 0.12 s of a 0.3 s graph, against 0.01 s plain.
     */
    @Override
    public RowKernels rowKernels(long work) {
        return kernelsFor(work) == small ? RowKernels.PLAIN : rowKernels();
    }

    @Override
    public String description() {
        return "cpu: " + kernels.description() + ", " + pool.getParallelism() + " threads";
    }

    @Override
    public Neighbors nearest(FloatMatrix base, FloatMatrix queries, int k, boolean excludeSelf, Progress progress) {
        Kernels kernels = kernelsFor((long) queries.rows() * base.rows() * base.cols());
        if (queries == base && excludeSelf && selfJoins(base.rows())) {
            return selfJoin(kernels, base, k, progress);
        }
        return search(kernels, Side.all(base), Side.all(queries), k, excludeSelf, null, null, progress);
    }

    /**
     * Each query's list starts with its ceiling as the selection's bound, so farther tiles' lanes fail at once;
     * each block of queries is gathered from {@code rows} into a buffer of its own, which stays in cache.
     */
    @Override
    public Neighbors nearestWithin(FloatMatrix base, PickedRows queries, int k, float[] ceilings,
                                   Progress progress) {
        Kernels kernels = kernelsFor((long) queries.count() * base.rows() * base.cols());
        return search(kernels, Side.all(base), Side.of(queries), k, false, ceilings, null, progress);
    }

    /**
     * One search whose tiles also feed the base rows' lists: after a tile's rows are offered to their queries,
     * its columns are offered to their base rows ({@link Kernels#selectColumns}, as in the self-join), so each
     * pair's product is computed once for both sides. The base rows are packed straight from their matrix.
     */
    @Override
    public TwoWayNeighbors nearestBothWays(PickedRows base, PickedRows queries, int k, float[] queryCeilings,
                                           float[] baseCeilings) {
        int nb = base.count();
        Kernels kernels = kernelsFor((long) queries.count() * nb * base.matrix().cols());
        int kb = Math.min(k, queries.count());
        TopK[] columns = new TopK[nb];
        for (int b = 0; b < nb; b++) {
            columns[b] = new TopK(kb, baseCeilings == null ? Float.POSITIVE_INFINITY : baseCeilings[b]);
        }
        Neighbors ofQueries = search(kernels, Side.of(base), Side.of(queries), Math.min(k, nb), false,
                queryCeilings, columns, Progress.NONE);
        int[] index = new int[FloatMatrix.checkSize(nb, kb, "neighbour list")];
        float[] dist = new float[index.length];
        for (int b = 0; b < nb; b++) {
            columns[b].drainSorted(index, dist, b * kb);
        }
        return new TwoWayNeighbors(ofQueries, new Neighbors(nb, kb, index, dist));
    }

    /**
     * One side of a search: all rows of {@code matrix} (picked and norms null: the search computes the norms), or
     * the rows {@code picked} names, in that order, with {@code norms} those of all the matrix's rows.
     */
    private record Side(FloatMatrix matrix, int[] picked, float[] norms) {
        static Side all(FloatMatrix matrix) {
            return new Side(matrix, null, null);
        }

        static Side of(PickedRows rows) {
            return new Side(rows.matrix(), rows.rows(), rows.norms());
        }

        int count() {
            return picked == null ? matrix.rows() : picked.length;
        }

        /** The norms of picked rows {@code from .. from + n - 1} into {@code out} from 0 (a picked side has norms). */
        void normsInto(int from, int n, float[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = norms[picked[from + i]];
            }
        }
    }

    /**
     * Queries against base rows in tiles, each query's top k selected as its tile rows come; ceilings may be
     * null. With {@code columns} (one list per base row), each tile's columns are offered to them too, the
     * candidates named by query position; query blocks run in parallel, so a base block's lists are filled
     * under its lock.
     */
    private Neighbors search(Kernels kernels, Side base, Side queries, int k, boolean excludeSelf, float[] ceilings,
                             TopK[] columns, Progress progress) {
        int d = base.matrix().cols();
        int w = kernels.panelWidth();
        int nb = base.count();
        int nq = queries.count();
        int[] picked = queries.picked();
        float[] spare = takeSpareBase(Panels.size(nb, d, w));
        Memory.require((spare == null ? 4L * nb * d : 0) + 8L * nq * k,
                "kNN search of " + nq + " x " + nb + " rows of " + d + " features");
        float[] panels = Panels.pack(base.matrix().data(), d, base.picked(), nb, kernels, pool, spare);
        float[] bNorm;
        if (base.picked() == null) {
            bNorm = base.matrix().squaredNorms(pool);
        } else {
            bNorm = new float[nb];
            base.normsInto(0, nb, bNorm);
        }
        // The queries are the base rows themselves: their norms and, where queries go in panels, their panels.
        boolean sameRows = picked == null && base.picked() == null && queries.matrix() == base.matrix();
        float[] allNorms = picked != null ? null : sameRows ? bNorm : queries.matrix().squaredNorms(pool);
        // Base blocks of at most BASE_BLOCK rows, the rows split evenly among them: a short tail block (an
        // inverted file's list of 265 rows was 256 + 9) is a tile below the register block's width, which
        // runs one row and one panel at a time; it took a sixth of such a list's time for 3% of its products.
        int baseBlocks = Math.max(1, (nb + BASE_BLOCK - 1) / BASE_BLOCK);
        int baseBlock = roundUp((nb + baseBlocks - 1) / baseBlocks, w * kernels.panelGroup());
        int[] index = new int[FloatMatrix.checkSize(nq, k, "neighbour list")];
        float[] dist = new float[index.length];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        // No ceilings are infinite ones: one path through the block loop, so that C2, which compiles it during an
        // inverted file's k-means (no ceilings), need not compile it again for the lists (ceilings).
        float[] bounds = ceilings != null ? ceilings : infinities(nq);
        Object[] locks = new Object[columns == null ? 0 : baseBlocks];
        for (int b = 0; b < locks.length; b++) {
            locks[b] = new Object();
        }
        progress.start("kNN graph (" + kernels.description() + ")", nq);
        // Query blocks as the kernel reads them: row-major (gathered where picked), or packed in panels (the
        // base's own panels where the queries are the base rows).
        boolean inPanels = kernels.queriesInPanels();
        float[] rows = queries.matrix().data();
        ThreadLocal<float[]> gathered = ThreadLocal.withInitial(() -> new float[roundUp(QUERY_BLOCK, w) * d]);
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int q0 = blk * QUERY_BLOCK;
            int qn = Math.min(QUERY_BLOCK, nq - q0);
            TopK[] tops = new TopK[qn];
            for (int i = 0; i < qn; i++) {
                tops[i] = new TopK(k, bounds[q0 + i]);
            }
            // The tile reads the block's rows from q at qFirst (a row, or a panel), their norms at qNorm[nFirst...].
            float[] q = rows;
            int qFirst = q0;
            if (inPanels && sameRows) {
                q = panels;
                qFirst = q0 / w;
            } else if (inPanels) {
                q = gathered.get();
                qFirst = 0;
                Panels.packRows(rows, d, picked, q0, qn, kernels, q);
            } else if (picked != null) {
                q = gathered.get();
                qFirst = 0;
                for (int i = 0; i < qn; i++) {
                    System.arraycopy(rows, picked[q0 + i] * d, q, i * d, d);
                }
            }
            float[] qNorm = allNorms;
            int nFirst = q0;
            if (picked != null) {
                qNorm = new float[qn];
                nFirst = 0;
                queries.normsInto(q0, qn, qNorm);
            }
            float[] tile = new float[QUERY_BLOCK * baseBlock];
            for (int b0 = 0; b0 < nb; b0 += baseBlock) {
                int bn = Math.min(baseBlock, nb - b0);
                int pn = Panels.count(bn, w);
                kernels.dotTile(q, qFirst, qn, d, panels, b0 / w, pn, tile, baseBlock);
                for (int i = 0; i < qn; i++) {
                    kernels.selectRow(tile, i * baseBlock, bn, qNorm[nFirst + i], bNorm, b0,
                            excludeSelf ? q0 + i : -1, tops[i]);
                }
                if (columns != null) {
                    synchronized (locks[b0 / baseBlock]) {
                        kernels.selectColumns(tile, baseBlock, qn, q0, qNorm, nFirst, bn, b0, bNorm, columns);
                    }
                }
            }
            for (int i = 0; i < qn; i++) {
                tops[i].drainSorted(index, dist, (q0 + i) * k);
            }
            progress.advance(qn);
        })).join();
        keepSpareBase(panels);
        progress.finish();
        return new Neighbors(nq, k, index, dist);
    }

    /**
     * The spare packed base if it holds {@code floats}, else null; either way no longer the spare (one that
     * is too small is dropped here, before the caller's {@link Memory#require}, so it can be collected).
     * Concurrent searches each get their own array: at most one of them finds the spare.
     */
    private float[] takeSpareBase(long floats) {
        SoftReference<float[]> held = spareBase.getAndSet(null);
        float[] spare = held == null ? null : held.get();
        return spare != null && spare.length >= floats ? spare : null;
    }

    /**
     * Keeps {@code panels} for the next search, unless it is over a sixteenth of the maximum heap: held
     * between searches it is heap that later stages cannot use, and at that size the first touch is a
     * small part of the search (pages grow with rows, products with their square).
     */
    private void keepSpareBase(float[] panels) {
        if (4L * panels.length <= Runtime.getRuntime().maxMemory() / 16) {
            spareBase.set(new SoftReference<>(panels));
        }
    }

    /** The scalar kernels while {@code work} fits in the scalar budget (spending it), else the main ones for good. */
    private Kernels kernelsFor(long work) {
        long left = scalarBudget.get();
        while (left > 0) {
            boolean fits = work <= left;
            if (scalarBudget.compareAndSet(left, fits ? left - work : 0)) {
                return fits ? small : kernels;
            }
            left = scalarBudget.get();
        }
        return kernels;
    }

    /**
     * Whether a search of all rows among themselves takes {@link #selfJoin}: when there are enough blocks,
     * four per thread, for its per-block tasks (of unequal size) to keep every thread busy.
     */
    boolean selfJoins(int rows) {
        return Panels.count(rows, SELF_BLOCK) >= 4 * pool.getParallelism();
    }

    /**
     * Blocks of query rows per self-join task: as many as fit {@link #SELF_GROUP_L2_SHARE} of L2 with {@code d}
     * features, at most {@link #MAX_SELF_GROUP}, and few enough to leave two tasks per thread. Each tile's base panels
     * come from memory once and then serve the whole group from L2; with one block per task the first pass over each
     * panel waited on memory, and bigger groups took an exact graph 7-13% faster (docs/benchmarks.md, eleventh pass).
     * The query rows must stay in L2 across the task's tiles, hence the cap by L2.
     */
    int selfJoinGroup(int rows, int d) {
        long fit = (long) (SELF_GROUP_L2_SHARE * l2Bytes) / (4L * SELF_BLOCK * d);
        int balanced = Panels.count(rows, SELF_BLOCK) / (2 * pool.getParallelism());
        return (int) Math.max(1, Math.min(MAX_SELF_GROUP, Math.min(fit, balanced)));
    }

    /**
     * All rows against all rows computing each pair's dot product once: tiles (I, J) of blocks with I &lt;= J
     * feed row i's list with the candidates of J and, transposed, row j's list with those of I, halving the
     * multiply-adds. All tiles run as one parallel loop; a block's top-k lists are filled under that block's lock,
     * taken only for the selection after the tile's products and never two at once, so threads neither
     * wait at barriers nor deadlock. (Rounds of a round-robin tournament, which kept lists apart without
     * locks, left a thread idle at the end of each of the rounds: 2001 x 784 on 2 threads spent 8 of its
     * 21 ms there.) Each list ends with the k smallest candidates by (distance, index) whatever order they
     * came in, and {@link Kernels#selectColumns} computes a transposed distance with the same operations as
     * the full search does, so the neighbours are those of the full search.
     */
    private Neighbors selfJoin(Kernels kernels, FloatMatrix x, int k, Progress progress) {
        int n = x.rows();
        TopK[] tops = new TopK[n];
        for (int i = 0; i < n; i++) {
            tops[i] = new TopK(k);
        }
        joinAll(kernels, x, tops, null, 8L * n * k + 40L * n,
                "kNN self-join of " + n + " rows of " + x.cols() + " features",
                "kNN graph (" + kernels.description() + ", self-join)", progress);
        int[] index = new int[FloatMatrix.checkSize(n, k, "neighbour list")];
        float[] dist = new float[index.length];
        for (int i = 0; i < n; i++) {
            tops[i].drainSorted(index, dist, i * k);
        }
        progress.finish();
        return new Neighbors(n, k, index, dist);
    }

    /**
     * The self-join's tiles with {@link TopK#within} lists: each pair's product once, offered to both rows' lists,
     * every candidate under a row's ceiling kept. A tile whose two blocks lie farther apart in their first two
     * features than either block's largest ceiling allows is skipped ({@link BlockSpans}): for rows in a k-d order of
     * those features, as the pruned exact search passes them, that is a third of the block pairs on Fashion-MNIST.
     */
    @Override
    public CsrGraph pairsWithin(FloatMatrix x, float[] ceilings) {
        int n = x.rows();
        if (ceilings.length != n) {
            throw new IllegalArgumentException(ceilings.length + " ceilings for " + n + " rows");
        }
        Kernels kernels = kernelsFor((long) n * n * x.cols());
        TopK[] lists = new TopK[n];
        for (int i = 0; i < n; i++) {
            lists[i] = TopK.within(ceilings[i]);
        }
        joinAll(kernels, x, lists, BlockSpans.of(x, ceilings), 200L * n,
                "pairs within ceilings of " + n + " rows of " + x.cols() + " features",
                "pairs within ceilings (" + kernels.description() + ")", Progress.NONE);
        return TopK.drainByIndex(lists);
    }

    /** The tiles and their lists' selection, in the same kernels as {@link #nearest}'s self-join. */
    @Override
    public boolean tiledPairsWithin() {
        return true;
    }

    /**
     * Per self-join block, the ranges of its rows' first {@link #FEATURES} features (a box) and its largest ceiling: a
     * pair's squared distance is at least the sum of its squared differences in those features, so two blocks whose
     * boxes lie farther apart than the root of both blocks' largest ceilings have no pair whose distance is under a
     * ceiling.
     */
    record BlockSpans(int features, float[] low, float[] high, float[] ceiling) {
        /** Two: for rows in a k-d order of two features, boxes of up to eight skipped under 0.1% more block pairs. */
        static final int FEATURES = 2;

        static BlockSpans of(FloatMatrix x, float[] ceilings) {
            int n = x.rows();
            int d = x.cols();
            int f = Math.min(FEATURES, d);
            int blocks = Panels.count(n, SELF_BLOCK);
            float[] low = new float[blocks * f];
            float[] high = new float[blocks * f];
            float[] ceiling = new float[blocks];
            java.util.Arrays.fill(low, Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(high, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(ceiling, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                int b = i / SELF_BLOCK;
                for (int t = 0; t < f; t++) {
                    float v = x.data()[i * d + t];
                    low[b * f + t] = Math.min(low[b * f + t], v);
                    high[b * f + t] = Math.max(high[b * f + t], v);
                }
                ceiling[b] = Math.max(ceiling[b], ceilings[i]);
            }
            return new BlockSpans(f, low, high, ceiling);
        }

        /** Whether no pair between blocks bi and bj can be under either row's ceiling. */
        boolean apart(int bi, int bj) {
            double sum = 0;
            for (int t = 0; t < features; t++) {
                double gap = Math.max((double) low[bj * features + t] - high[bi * features + t],
                        (double) low[bi * features + t] - high[bj * features + t]);
                if (gap > 0) {
                    sum += gap * gap;
                }
            }
            return sum > Math.max(ceiling[bi], ceiling[bj]);
        }
    }

    /**
     * Every pair of rows of x offered to both rows' lists ({@code lists[i]} for row i), each product computed once,
     * except the tiles {@code spans} (null for none) shows to be apart; {@code listBytes} the lists' memory, for the
     * check up front ({@code what} names the search in its message).
     */
    private void joinAll(Kernels kernels, FloatMatrix x, TopK[] lists, BlockSpans spans, long listBytes, String what,
                         String stage, Progress progress) {
        int n = x.rows();
        int d = x.cols();
        int w = kernels.panelWidth();
        float[] spare = takeSpareBase(Panels.size(n, d, w));
        Memory.require((spare == null ? 4L * n * d : 0) + listBytes, what);
        float[] panels = Panels.pack(x, kernels, pool, spare);
        float[] rows = x.data();
        float[] norms = x.squaredNorms(pool);
        int blocks = Panels.count(n, SELF_BLOCK);
        int group = selfJoinGroup(n, d);
        ThreadLocal<float[]> tiles = ThreadLocal.withInitial(() -> new float[group * SELF_BLOCK * SELF_BLOCK]);
        Object[] locks = new Object[blocks];
        for (int b = 0; b < blocks; b++) {
            locks[b] = new Object();
        }
        // One task per group of query blocks, its tiles (I, J) for the group's blocks I <= J in turn, J ascending,
        // keeping the group's rows in cache; work stealing evens out tasks of unequal size, the small ones last.
        progress.start(stage, (long) blocks * (blocks + 1) / 2);
        pool.submit(() -> IntStream.range(0, (blocks + group - 1) / group).parallel().forEach(task -> {
            int first = task * group;
            int last = Math.min(blocks, first + group) - 1;
            for (int bj = first; bj < blocks; bj++) {
                int upTo = Math.min(last, bj);
                // The group's blocks in runs of those not apart from bj, each run one tile: tested one by one, the
                // blocks of a group skip more tiles than the group's box would (a third against a quarter).
                for (int b = first; b <= upTo; b++) {
                    if (spans != null && spans.apart(b, bj)) {
                        continue;
                    }
                    int end = b;
                    while (end < upTo && (spans == null || !spans.apart(end + 1, bj))) {
                        end++;
                    }
                    joinTile(kernels, rows, panels, norms, d, n, b, end, bj, tiles.get(), lists, locks);
                    b = end;
                }
                progress.advance(upTo - first + 1);
            }
        })).join();
        keepSpareBase(panels);
    }

    /**
     * The tiles (I, J) for blocks I = {@code first} .. {@code last} (all &lt;= J) in one pass over J's panels: each
     * row of them is offered J's rows, and J's rows are offered the rows of the blocks below J (the diagonal tile
     * (J, J) one way only, without the row itself).
     */
    private static void joinTile(Kernels kernels, float[] rows, float[] panels, float[] norms, int d, int n,
                                 int first, int last, int bj, float[] tile, TopK[] tops, Object[] locks) {
        int w = kernels.panelWidth();
        int q0 = first * SELF_BLOCK;
        int qn = Math.min((last + 1) * SELF_BLOCK, n) - q0;
        int b0 = bj * SELF_BLOCK;
        int bn = Math.min(SELF_BLOCK, n - b0);
        if (kernels.queriesInPanels()) {
            kernels.dotTile(panels, q0 / w, qn, d, panels, b0 / w, Panels.count(bn, w), tile, SELF_BLOCK);
        } else {
            kernels.dotTile(rows, q0, qn, d, panels, b0 / w, Panels.count(bn, w), tile, SELF_BLOCK);
        }
        for (int bi = first; bi <= last; bi++) {
            int r0 = (bi - first) * SELF_BLOCK;
            int r1 = Math.min(r0 + SELF_BLOCK, qn);
            synchronized (locks[bi]) {
                for (int i = r0; i < r1; i++) {
                    kernels.selectRow(tile, i * SELF_BLOCK, bn, norms[q0 + i], norms, b0, bi == bj ? q0 + i : -1,
                            tops[q0 + i]);
                }
            }
        }
        int below = Math.min(last + 1, bj) - first;
        if (below > 0) {
            synchronized (locks[bj]) {
                kernels.selectColumns(tile, SELF_BLOCK, below * SELF_BLOCK, q0, norms, q0, bn, b0, norms, tops);
            }
        }
    }

    private static float[] infinities(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, Float.POSITIVE_INFINITY);
        return out;
    }

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    @Override
    public Propagator propagator(CsrGraph graph, PropagationState start, StepRule rule) {
        long work = ((long) graph.edges() + graph.rows()) * start.classes();
        return new BlockedPropagator(work < smallStepWork ? small : kernels, graph, start, rule);
    }

    /**
     * Row blocks over the pool, each stepped by {@link Kernels#stepRows}: a row's product, update and residual in one pass. Y is held with
     * rows padded to a multiple of {@link Kernels#classPadding()} classes (zeros in the padding), so the product runs on
     * whole vectors with no per-class tail; with 10 classes a padded row is 64 bytes, one cache line.
     */
    private final class BlockedPropagator implements Propagator {
        private final Kernels kernels;
        private final CsrGraph g;
        private final int c;
        /** Row stride of the padded matrices. */
        private final int s;
        private final PaddedStep step;
        /** Per row block: change and mass, summed in block order so the total is thread-count independent. */
        private final double[] blockChange;
        private final double[] blockMass;
        private float[] y;
        private float[] next;
        private long steps;

        BlockedPropagator(Kernels kernels, CsrGraph g, PropagationState start, StepRule rule) {
            this.kernels = kernels;
            this.g = g;
            this.c = start.classes();
            this.s = roundUp(c, kernels.classPadding());
            Memory.require(3L * 4 * g.rows() * s, "propagation over " + g.rows() + " rows of " + s + " padded classes");
            float[] y0 = pad(start.y0());
            int height = 4L * g.rows() * s <= SLICED_MAX_Y_BYTES ? kernels.sliceHeight(s) : 0;
            SlicedRows slices = height == 0 ? null
                    : pool.submit(() -> SlicedRows.of(g.rowPtr(), g.col(), g.weight(), g.rows(), height, ROW_BLOCK)).join();
            this.step = new PaddedStep(g.rowPtr(), g.col(), g.weight(), y0, c, s, rule, slices, priorRows(y0));
            // Spreading starts from its prior: a copy of the padded prior is a plain memory copy, not a second
            // pass row by row.
            this.y = start.y() == start.y0() ? y0.clone() : pad(start.y());
            this.next = new float[y.length];
            this.blockChange = new double[(g.rows() + ROW_BLOCK - 1) / ROW_BLOCK];
            this.blockMass = new double[blockChange.length];
        }

        /** Rows of the padded m with a nonzero value; rows on the pool (1M rows x 100 classes: 0.4 GB read). */
        private boolean[] priorRows(float[] m) {
            boolean[] out = new boolean[g.rows()];
            Parallel.forRows(pool, out.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int k = 0; k < s && !out[i]; k++) {
                        out[i] = m[i * s + k] != 0f;
                    }
                }
            });
            return out;
        }

        private float[] pad(float[] m) {
            float[] out = new float[FloatMatrix.checkSize(g.rows(), s, "padded class matrix")];
            Parallel.forRows(pool, g.rows(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    System.arraycopy(m, i * c, out, i * s, c);
                }
            });
            return out;
        }

        @Override
        public StepResult step(float momentum) {
            step.rule().requireMomentum(momentum, steps++);
            pool.submit(() -> IntStream.range(0, blockChange.length).parallel().forEach(b -> stepBlock(b, momentum)))
                    .join();
            double change = 0;
            double mass = 0;
            for (int b = 0; b < blockChange.length; b++) {
                change += blockChange[b];
                mass += blockMass[b];
            }
            float[] t = y;
            y = next;
            next = t;
            return new StepResult(change, mass);
        }

        private void stepBlock(int blk, float momentum) {
            int from = blk * ROW_BLOCK;
            StepResult r = kernels.stepRows(step, y, next, from, Math.min(g.rows(), from + ROW_BLOCK), momentum);
            blockChange[blk] = r.change();
            blockMass[blk] = r.mass();
        }

        @Override
        public void read(float[] out) {
            Parallel.forRows(pool, g.rows(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    System.arraycopy(y, i * s, out, i * c, c);
                }
            });
        }

        @Override
        public void close() {
        }
    }
}
