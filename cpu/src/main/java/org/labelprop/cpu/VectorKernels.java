package org.labelprop.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.DoubleVector;
import org.labelprop.core.FloatMatrix;
import org.labelprop.core.backend.RowKernels;
import org.labelprop.core.backend.StepResult;
import org.labelprop.core.backend.StepRule;
import org.labelprop.core.backend.TopK;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. The only class that touches jdk.incubator.vector: it is loaded by name after a
 * check that the module is readable, so the backend still starts without it.
 *
 * <p>The distance tile is an outer product over packed panels ({@link Panels}) of both the query and the base
 * rows, register-blocked 8 rows x 3L columns on 512-bit vectors: 24 accumulators, no horizontal sums, eleven
 * loads per 24 fused multiply-adds.
 */
final class VectorKernels implements Kernels, RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Linear models: double lanes of the same width. Every float vector in this class is of the one species
     * S: the Vector API's shared code (FloatVector.fma, fromArray) keeps one type profile for all float
     * shapes, and once a second shape runs through it, C2 compiles later kernels with both shapes' paths
     * merged and the vectors boxed. Measured: running a propagation on 256-bit rows before the 512-bit
     * distance kernel was first compiled made that kernel 45x slower for the rest of the JVM's life.
     */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * How the selection finds a mask's passing lanes ({@link #laneBits}): by {@link VectorMask#toLong()}, which C2
     * intrinsifies from JDK 18 on, or, on JDK 17, where {@code toLong} goes through the mask's boxed lanes, by a blend
     * and a sum that its C2 does intrinsify.
     */
    private final boolean maskBits;

    /** Refuses machines whose vectors are too narrow to beat scalar code (Lucene's threshold). */
    VectorKernels() {
        this(Runtime.version().feature() >= 18);
    }

    /** With the selection's lane walk chosen (tests run both on any JDK: they give the same lists). */
    VectorKernels(boolean maskBits) {
        if (S.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector of " + S.vectorBitSize() + " bits");
        }
        this.maskBits = maskBits;
    }

    @Override
    public String description() {
        return "Vector API, " + S.vectorBitSize() + "-bit, " + (WIDE ? "8 x 3" : "3 x 3") + " register block";
    }

    @Override
    public int panelWidth() {
        return L;
    }

    /**
     * Register blocks chosen by vector width, since the width tells the register file on x86. With 512-bit
     * vectors (AVX-512, 32 registers): 8 query rows x 3 panels, 24 accumulators, three panel loads and a
     * broadcast, the query rows packed in panels too ({@link #queriesInPanels}), so that a block's eight
     * query values for one feature lie side by side at constant offsets from one index. Row-major, six rows
     * apart, C2 kept six row offsets and two array bases in general registers, moved some through vector
     * registers every iteration, and the 6 x 2 block of the time ran at 127 GFLOP/s on one core against 172
     * for 8 x 3 (JDK 25; docs/benchmarks.md, ninth pass). With 256-bit vectors (AVX2, 16 registers): 3 x 3
     * on row-major queries, nine accumulators; 6 x 2 needs 15 of the 16 registers and JDK 17's C2 spilled
     * three accumulators, and the panel blocks that fit (8 x 1, 4 x 2) ran an exact graph 7-12% slower than
     * 3 x 3. Every output is the same sum in the same order whatever the block, so results do not depend on it.
     */
    @Override
    public int panelGroup() {
        return 3;
    }

    @Override
    public boolean queriesInPanels() {
        return WIDE;
    }

    private static final boolean WIDE = L >= 16;

    /**
     * The class of S's vectors, for {@link #exact}. JDK 17's C2 turns {@code intoArray} into a vector store only when
     * it knows the vector's class there as a constant. A register block's accumulators are loop phis that Java types as
     * FloatVector, and in about one JVM in five on AVX2 (6 of 28) C2 did not know it when compiling the 3 x 3 kernel of
     * the time: -XX:+PrintIntrinsics printed "missing constant: vclass=DecodeN" and VectorSupport::store "failed to
     * inline (intrinsic)" for all nine stores (which compiles get it right, and why, we did not establish). A failed
     * store runs the Java fallback on a boxed vector, nine per block, and that JVM's 2001 x 784 self-join ran at about
     * 31 ms against 27 for its whole life.
     */
    private static final Class<? extends FloatVector> VECTOR_CLASS = FloatVector.zero(S).getClass();

    /**
     * {@code v} cast to S's vector class: Class.cast with a constant class is a C2 intrinsic that types its
     * result as that (final) class when the method is parsed, so the store that follows is intrinsified
     * whatever C2 has proven about {@code v}. The cast checks one class pointer and changes nothing.
     */
    private static FloatVector exact(FloatVector v) {
        return VECTOR_CLASS.cast(v);
    }

    @Override
    public void dotTile(float[] q, int qFirst, int qn, int d, float[] panels, int p0, int pn, float[] out,
                        int stride) {
        if (WIDE) {
            dotTile8x3(q, qFirst, qn, d, panels, p0, pn, out, stride);
        } else {
            dotTile3x3(q, qFirst, qn, d, panels, p0, pn, out, stride);
        }
    }

    /**
     * A panel packed a feature at a time by a vector gather from its rows (a masked one for a partial last
     * panel, whose padding lanes it leaves zero): an inverted file packs each of its query blocks, most of a
     * million rows' worth on Fashion-MNIST, and the scalar loop took a sixth of its time.
     */
    @Override
    public void packPanel(float[] src, int d, int[] picked, int first, int count, float[] out, int p) {
        int lanes = Math.min(L, count - p * L);
        int[] from = Panels.rowStarts(d, picked, first, count, L, p);
        int o = p * d * L;
        if (lanes == L) {
            for (int t = 0; t < d; t++, o += L) {
                FloatVector.fromArray(S, src, t, from, 0).intoArray(out, o);
            }
        } else {
            VectorMask<Float> valid = S.indexInRange(0, lanes);
            for (int t = 0; t < d; t++, o += L) {
                FloatVector.fromArray(S, src, t, from, 0, valid).intoArray(out, o);
            }
        }
    }

    /** Query rows per 512-bit register block: half of a panel's sixteen. */
    private static final int BLOCK_ROWS = 8;

    /**
     * The tile in 8 x 3 blocks, the queries packed in panels from panel qp0 on. Query rows go in blocks of eight, the
     * last one reaching into the panel's padding (the contract lets the tile's rows up to the panel's end be written).
     * Where the panels do not divide by three, the last block is moved back to end at the edge, recomputing a few
     * outputs (each is the same sum in the same order, so they are rewritten with the same bits); tiles of one or two
     * panels take 8 x 1 blocks.
     */
    static void dotTile8x3(float[] q, int qp0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                           int stride) {
        if (pn < 3) {
            dotTile8x1(q, qp0, qn, d, panels, p0, pn, out, stride);
            return;
        }
        for (int p = 0; p < pn; p += 3) {
            int pp = Math.min(p, pn - 3);
            for (int i = 0; i < qn; i += BLOCK_ROWS) {
                dot8x3(q, queryOffset(qp0, i, d), d, panels, (p0 + pp) * d * L, out, i * stride + pp * L, stride);
            }
        }
    }

    static void dotTile8x1(float[] q, int qp0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                           int stride) {
        for (int p = 0; p < pn; p++) {
            for (int i = 0; i < qn; i += BLOCK_ROWS) {
                dot8x1(q, queryOffset(qp0, i, d), d, panels, (p0 + p) * d * L, out, i * stride + p * L, stride);
            }
        }
    }

    /** Where query row i (of the rows from panel qp0 on) holds its first feature. */
    private static int queryOffset(int qp0, int i, int d) {
        return (qp0 + i / L) * d * L + i % L;
    }

    /**
     * Eight query rows (lanes qo .. qo + 7 of their panel) against three panels (3L base rows): per feature three
     * vector loads and eight broadcasts for 24 fused multiply-adds.
     */
    private static void dot8x3(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo, int stride) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c42 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c52 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c62 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        FloatVector c72 = c00;
        // Each panel's offset as one loop-invariant start plus t * L: written as po + t * L + d * L, JDK 17's C2 kept two
        // range checks per feature in the loop.
        int second = po + d * L;
        int third = second + d * L;
        for (int t = 0; t < d; t++) {
            int tl = t * L;
            int ao = qo + tl;
            FloatVector b0 = FloatVector.fromArray(S, panels, po + tl);
            FloatVector b1 = FloatVector.fromArray(S, panels, second + tl);
            FloatVector b2 = FloatVector.fromArray(S, panels, third + tl);
            FloatVector a = FloatVector.broadcast(S, q[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, q[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, q[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, q[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, q[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, q[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, q[ao + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, q[ao + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            c72 = a.fma(b2, c72);
        }
        exact(c00).intoArray(out, oo);
        exact(c01).intoArray(out, oo + L);
        exact(c02).intoArray(out, oo + 2 * L);
        exact(c10).intoArray(out, oo + stride);
        exact(c11).intoArray(out, oo + stride + L);
        exact(c12).intoArray(out, oo + stride + 2 * L);
        exact(c20).intoArray(out, oo + 2 * stride);
        exact(c21).intoArray(out, oo + 2 * stride + L);
        exact(c22).intoArray(out, oo + 2 * stride + 2 * L);
        exact(c30).intoArray(out, oo + 3 * stride);
        exact(c31).intoArray(out, oo + 3 * stride + L);
        exact(c32).intoArray(out, oo + 3 * stride + 2 * L);
        exact(c40).intoArray(out, oo + 4 * stride);
        exact(c41).intoArray(out, oo + 4 * stride + L);
        exact(c42).intoArray(out, oo + 4 * stride + 2 * L);
        exact(c50).intoArray(out, oo + 5 * stride);
        exact(c51).intoArray(out, oo + 5 * stride + L);
        exact(c52).intoArray(out, oo + 5 * stride + 2 * L);
        exact(c60).intoArray(out, oo + 6 * stride);
        exact(c61).intoArray(out, oo + 6 * stride + L);
        exact(c62).intoArray(out, oo + 6 * stride + 2 * L);
        exact(c70).intoArray(out, oo + 7 * stride);
        exact(c71).intoArray(out, oo + 7 * stride + L);
        exact(c72).intoArray(out, oo + 7 * stride + 2 * L);
    }

    /** Eight query rows against one panel: per feature one vector load and eight broadcasts for eight FMAs. */
    private static void dot8x1(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo, int stride) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int t = 0; t < d; t++) {
            int ao = qo + t * L;
            FloatVector b = FloatVector.fromArray(S, panels, po + t * L);
            c0 = FloatVector.broadcast(S, q[ao]).fma(b, c0);
            c1 = FloatVector.broadcast(S, q[ao + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, q[ao + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, q[ao + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, q[ao + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, q[ao + 5]).fma(b, c5);
            c6 = FloatVector.broadcast(S, q[ao + 6]).fma(b, c6);
            c7 = FloatVector.broadcast(S, q[ao + 7]).fma(b, c7);
        }
        exact(c0).intoArray(out, oo);
        exact(c1).intoArray(out, oo + stride);
        exact(c2).intoArray(out, oo + 2 * stride);
        exact(c3).intoArray(out, oo + 3 * stride);
        exact(c4).intoArray(out, oo + 4 * stride);
        exact(c5).intoArray(out, oo + 5 * stride);
        exact(c6).intoArray(out, oo + 6 * stride);
        exact(c7).intoArray(out, oo + 7 * stride);
    }

    /**
     * The 3 x 3 tile on row-major queries in whole register blocks: where rows or panels do not divide evenly, the last
     * block is moved back to end at the edge, recomputing a few outputs (each is the same sum in the same order, so
     * they are rewritten with the same bits). Single-row, single-panel tails are only for tiles smaller than one block.
     * Tails used to run {@link #dot1x1} over whole tiles (an inverted file's lists have odd panel counts), and C2 left
     * that rarely hot path running the Vector API's Java fallback: a sixth of an exact graph's time went there.
     */
    static void dotTile3x3(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                           int stride) {
        int rows = 3;
        int group = 3;
        if (qn < rows || pn < group) {
            dotTile1x1(q, q0, qn, d, panels, p0, pn, out, stride);
            return;
        }
        for (int p = 0; p < pn; p += group) {
            int pp = Math.min(p, pn - group);
            for (int i = 0; i < qn; i += rows) {
                int ii = Math.min(i, qn - rows);
                int qo = (q0 + ii) * d;
                int po = (p0 + pp) * d * L;
                int oo = ii * stride + pp * L;
                dot3x3(q, qo, d, panels, po, out, oo, stride);
            }
        }
    }

    private static void dotTile1x1(float[] q, int q0, int qn, int d, float[] panels, int p0, int pn, float[] out,
                                   int stride) {
        for (int p = 0; p < pn; p++) {
            for (int i = 0; i < qn; i++) {
                dot1x1(q, (q0 + i) * d, d, panels, (p0 + p) * d * L, out, i * stride + p * L);
            }
        }
    }

    /** Three query rows against three panels: nine accumulators, three loads and three broadcasts per feature. */
    private static void dot3x3(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo, int stride) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        int second = d * L;
        int third = 2 * second;
        for (int t = 0; t < d; t++) {
            FloatVector b0 = FloatVector.fromArray(S, panels, po + t * L);
            FloatVector b1 = FloatVector.fromArray(S, panels, po + second + t * L);
            FloatVector b2 = FloatVector.fromArray(S, panels, po + third + t * L);
            FloatVector a = FloatVector.broadcast(S, q[qo + t]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, q[qo + d + t]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, q[qo + 2 * d + t]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
        }
        exact(c00).intoArray(out, oo);
        exact(c01).intoArray(out, oo + L);
        exact(c02).intoArray(out, oo + 2 * L);
        exact(c10).intoArray(out, oo + stride);
        exact(c11).intoArray(out, oo + stride + L);
        exact(c12).intoArray(out, oo + stride + 2 * L);
        exact(c20).intoArray(out, oo + 2 * stride);
        exact(c21).intoArray(out, oo + 2 * stride + L);
        exact(c22).intoArray(out, oo + 2 * stride + 2 * L);
    }

    /** One query row against one panel: L dot products in one accumulator. */
    private static void dot1x1(float[] q, int qo, int d, float[] panels, int po, float[] out, int oo) {
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < d; t++) {
            acc = FloatVector.broadcast(S, q[qo + t]).fma(FloatVector.fromArray(S, panels, po + t * L), acc);
        }
        exact(acc).intoArray(out, oo);
    }

    /**
     * Distances a vector at a time, compared with the top-k list's bound; only lanes that pass go to the list one
     * by one. Once the list is full almost no lane passes, so this is what makes low-dimensional tiles
     * (where the dot products are cheap) fast.
     */
    @Override
    public void selectRow(float[] tile, int row, int bn, float qNorm, float[] bNorm, int b0, int self, TopK top) {
        FloatVector q = FloatVector.broadcast(S, qNorm);
        int j = 0;
        for (; j + L <= bn; j += L) {
            FloatVector dd = FloatVector.fromArray(S, tile, row + j).mul(-2f).add(FloatVector.fromArray(S, bNorm, b0 + j))
                    .add(q);
            VectorMask<Float> pass = dd.compare(VectorOperators.LE, top.bound());
            // The passing lanes' distances again in scalar code, the same operations in the same order (same
            // bits): reading lanes out of the vector made C2 box it in some compiles (see selectColumns). A lane
            // that failed the bound fails it in offer too, as the bound only falls.
            // Only the passing lanes: with few candidates per list (an inverted file's 265 centroids, k = 5), most
            // vectors have a lane or two under the bound, and all sixteen in scalar code were a fifth of the search.
            for (long bits = laneBits(pass); bits != 0; bits &= bits - 1) {
                offerRow(tile, row, j + Long.numberOfTrailingZeros(bits), qNorm, bNorm, b0, self, top);
            }
        }
        for (; j < bn; j++) {
            offerRow(tile, row, j, qNorm, bNorm, b0, self, top);
        }
    }

    /** 2^lane in lane {@code lane}: exact in float, as S has at most 16 lanes. */
    private static final FloatVector LANE_WEIGHTS = laneWeights();

    private static FloatVector laneWeights() {
        float[] w = new float[L];
        for (int lane = 0; lane < L; lane++) {
            w[lane] = 1 << lane;
        }
        return FloatVector.fromArray(S, w, 0);
    }

    /**
     * The set lanes of {@code pass} as bits, lane 0 lowest. On JDK 17 the blend and sum took the 2001 x 784
     * self-join from 19.5 to 17.5 ms against testing all lanes of a vector with any lane passing (docs/benchmarks.md,
     * fourteenth pass).
     */
    private long laneBits(VectorMask<Float> pass) {
        if (maskBits) {
            return pass.toLong();
        }
        if (!pass.anyTrue()) {
            return 0;
        }
        // The sum of distinct powers of two below 2^16 is exact in float whatever order the lanes add in.
        return (long) FloatVector.zero(S).blend(LANE_WEIGHTS, pass).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Tile column j of the row at {@code row}, offered to the row's list if under its bound and not the row
     * itself. The vector part's order, as selectColumns keeps it: a self-join and a full search then give a pair
     * the same distance whichever part of a tile it falls in.
     */
    private static void offerRow(float[] tile, int row, int j, float qNorm, float[] bNorm, int b0, int self,
                                 TopK top) {
        float d = Math.max(0f, tile[row + j] * -2f + bNorm[b0 + j] + qNorm);
        if (b0 + j != self && d <= top.bound()) {
            top.offer(d, b0 + j);
        }
    }

    /**
     * A vector of columns at a time along each tile row (contiguous loads, unlike a column), compared with
     * the bounds of those columns' lists, kept in {@code bounds} and refreshed after each offer. Operations in
     * {@link #selectRow}'s order with the roles swapped: ((-2 dot) + norm of the candidate row) + norm of the
     * column's row. Column by column in scalar code this took half as long as the tile's products. Where a
     * vector has a lane under its bound, those lanes are recomputed in scalar code (the same operations in the
     * same order, so the same bits) rather than read out of the vector: with
     * {@code laneIsSet} and {@code lane(i)}, about one JVM in six on AVX2 ran the whole self-join at half
     * speed for its life (docs/benchmarks.md, fourth pass), and one recovered when C2 recompiled this method.
     */
    @Override
    public void selectColumns(float[] tile, int stride, int qn, int q0, float[] qNorms, int qNormAt, int bn, int b0,
                              float[] bNorms, TopK[] tops) {
        float[] bounds = new float[bn];
        for (int j = 0; j < bn; j++) {
            bounds[j] = tops[b0 + j].bound();
        }
        int whole = bn - bn % L;
        for (int i = 0; i < qn; i++) {
            int row = i * stride;
            float rowNorm = qNorms[qNormAt + i];
            FloatVector rn = FloatVector.broadcast(S, rowNorm);
            for (int j = 0; j < whole; j += L) {
                FloatVector dd = FloatVector.fromArray(S, tile, row + j).mul(-2f).add(rn)
                        .add(FloatVector.fromArray(S, bNorms, b0 + j));
                VectorMask<Float> pass = dd.compare(VectorOperators.LE, FloatVector.fromArray(S, bounds, j));
                // Each lane is its own column's list, so offering to one leaves the others' bounds as the mask saw
                // them: walking only the passing lanes ({@link #maskBits}) skips exactly the lanes that would fail.
                for (long bits = laneBits(pass); bits != 0; bits &= bits - 1) {
                    offerColumn(tile, row, rowNorm, bNorms, b0, j + Long.numberOfTrailingZeros(bits), q0 + i, bounds,
                            tops);
                }
            }
            for (int j = whole; j < bn; j++) {
                offerColumn(tile, row, rowNorm, bNorms, b0, j, q0 + i, bounds, tops);
            }
        }
    }

    /** Tile column j of the row at {@code row}, offered to column j's list if under its bound (then refreshed). */
    private static void offerColumn(float[] tile, int row, float rowNorm, float[] bNorms, int b0, int j, int candidate,
                                    float[] bounds, TopK[] tops) {
        float d = tile[row + j] * -2f + rowNorm + bNorms[b0 + j];
        if (d <= bounds[j]) {
            TopK top = tops[b0 + j];
            top.offer(Math.max(0f, d), candidate);
            bounds[j] = top.bound();
        }
    }

    /** Whole vectors, then a scalar tail: rows need no padding. */
    @Override
    public float squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector acc = FloatVector.zero(S);
        int bound = length - length % L;
        int t = 0;
        for (; t < bound; t += L) {
            FloatVector diff = FloatVector.fromArray(S, a, aOffset + t).sub(FloatVector.fromArray(S, b, bOffset + t));
            acc = diff.fma(diff, acc);
        }
        return tail(a, aOffset, b, bOffset, t, length, acc.reduceLanes(VectorOperators.ADD));
    }

    /**
     * Four rows at a time, each summed exactly as {@link #squaredDistance} sums it (its own accumulator, the same
     * features in the same order, then the same reduction and tail), so the floats are the same: four independent
     * chains of additions, where one row's chain left the core waiting (rows gathered from all over memory took half
     * their time in that chain).
     */
    @Override
    public void squaredDistances(float[] q, int qOffset, float[] base, int[] index, int o, int count, int d,
                                 float[] out) {
        int bound = d - d % L;
        int j = 0;
        for (; j + 4 <= count; j += 4) {
            int b0 = index[o + j] * d;
            int b1 = index[o + j + 1] * d;
            int b2 = index[o + j + 2] * d;
            int b3 = index[o + j + 3] * d;
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            for (int t = 0; t < bound; t += L) {
                FloatVector a = FloatVector.fromArray(S, q, qOffset + t);
                FloatVector d0 = a.sub(FloatVector.fromArray(S, base, b0 + t));
                FloatVector d1 = a.sub(FloatVector.fromArray(S, base, b1 + t));
                FloatVector d2 = a.sub(FloatVector.fromArray(S, base, b2 + t));
                FloatVector d3 = a.sub(FloatVector.fromArray(S, base, b3 + t));
                acc0 = d0.fma(d0, acc0);
                acc1 = d1.fma(d1, acc1);
                acc2 = d2.fma(d2, acc2);
                acc3 = d3.fma(d3, acc3);
            }
            out[j] = tail(q, qOffset, base, b0, bound, d, acc0.reduceLanes(VectorOperators.ADD));
            out[j + 1] = tail(q, qOffset, base, b1, bound, d, acc1.reduceLanes(VectorOperators.ADD));
            out[j + 2] = tail(q, qOffset, base, b2, bound, d, acc2.reduceLanes(VectorOperators.ADD));
            out[j + 3] = tail(q, qOffset, base, b3, bound, d, acc3.reduceLanes(VectorOperators.ADD));
        }
        for (; j < count; j++) {
            out[j] = squaredDistance(q, qOffset, base, index[o + j] * d, d);
        }
    }

    /** {@link #squaredDistance}'s scalar tail: features [from, d) added to s in order. */
    private static float tail(float[] a, int aOffset, float[] b, int bOffset, int from, int d, float s) {
        for (int t = from; t < d; t++) {
            float u = a[aOffset + t] - b[bOffset + t];
            s += u * u;
        }
        return s;
    }

    /**
     * The step with each row's classes held in registers from the product to the store. Rows of one or two
     * vectors (up to 16 classes on 512-bit vectors; 10 classes padded to 16 on 256-bit ones) are stepped
     * several at a time on {@link SlicedRows}: 8 rows of one vector or 4 of two, eight accumulators either
     * way (where Y fits the caches: {@link CpuBackend#SLICED_MAX_Y_BYTES}; else one row at a time on CSR). Then
     * each row's prior, normalization, change and mass, the change and mass summed per lane over several rows
     * before one sum across lanes (JDK 17 adds lanes one after another: a sum across lanes per row cost as
     * much as the row's product). Wider rows take one pass over the row's CSR edges per vector. Rows without a
     * prior (Y0 zero: label spreading's unlabeled rows) skip its read on every path. History
     * (docs/benchmarks.md): finishing rows in scalar loops took 2.8 ms per Fashion-MNIST step; rows in
     * registers one at a time 1.65 ms (512-bit) and 2.2 ms (256-bit); slices a tenth to a fifth less again.
     */
    @Override
    public int sliceHeight(int stride) {
        return stride == L ? 8 : stride == 2 * L ? 4 : 0;
    }

    /**
     * Every variant blends in the iterate before y (next's old row) on every step, momentum 1 included, where
     * it adds 0 (next holds finite values, and its line is fetched anyway when the row is written). A branch on
     * the momentum is not taken in the first steps, so C2 would compile the step without it and deoptimize
     * when momentum steps begin, running them interpreted until it recompiles. (Spreading on Fashion-MNIST:
     * 1.13 s in one run with the branch, 0.76-0.97 s in four without; not measured further.)
     */
    @Override
    public StepResult stepRows(PaddedStep step, float[] y, float[] next, int from, int to, float momentum) {
        if (step.slices() != null) {
            return step.stride() == L ? stepSlicedOneVector(step, y, next, from, to, momentum)
                    : stepSlicedTwoVectors(step, y, next, from, to, momentum);
        }
        if (step.stride() == L) {
            return stepOneVector(step, y, next, from, to, momentum);
        }
        if (step.stride() == 2 * L) {
            return stepTwoVectors(step, y, next, from, to, momentum);
        }
        return stepWide(step, y, next, from, to, momentum);
    }

    /**
     * Rows whose change and mass are summed per lane in float before one sum across lanes into the double
     * total: a sum across lanes per row cost as much as the row's product (JDK 17 adds the lanes one after
     * another). 16 rows keep the float sums within 16 ulps of exact.
     */
    private static final int SUM_ROWS = 16;

    /**
     * The step on {@link SlicedRows}: per slice, the rows' products (eight accumulators, one fused multiply-add
     * per edge in each row's CSR order, one loop exit per slice), then each row finished: alpha times the
     * product, plus beta times the prior where the row has one, normalized if the rule says so (the clamped
     * keep their prior), stored in next; change and mass summed per lane over the slice, then across lanes.
     * The products are a separate method taking arrays only, so C2 compiles it within the first step; one
     * method holding the products and the finishing compiled a quarter of a second later, and the steps
     * before it ran the Vector API interpreted. (Vectors must not cross a call C2 does not inline: they would
     * be boxed. Finishing rows generically over the stride, in one method for both shapes, lost C2's exact
     * vector types and ran 2.5x slower.)
     */
    private static StepResult stepSlicedOneVector(PaddedStep step, float[] y, float[] next, int from, int to,
                                          float momentum) {
        SlicedRows sl = step.slices();
        int[] start = sl.start();
        int[] rows = sl.rows();
        float[] y0 = step.y0();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        float[] product = new float[8 * L];
        int first = sl.firstSlice(from, CpuBackend.ROW_BLOCK);
        int last = first + (to - from + 7) / 8;
        double change = 0;
        double mass = 0;
        for (int k = first; k < last; k++) {
            productsOneVector(sl.col(), sl.weight(), start[k], start[k + 1], y, product);
            FloatVector dc = FloatVector.zero(S);
            FloatVector dm = dc;
            for (int lane = 0; lane < 8; lane++) {
                int i = rows[k * 8 + lane];
                if (i < 0) {
                    continue;
                }
                int o = i * L;
                FloatVector v;
                if (rule.isClamped(i)) {
                    v = FloatVector.fromArray(S, y0, o);
                } else {
                    v = FloatVector.fromArray(S, product, lane * L).mul(alpha);
                    if (step.hasPrior(i)) {
                        v = v.add(FloatVector.fromArray(S, y0, o).mul(beta));
                    }
                    if (rule.normalizeRows()) {
                        float sum = v.reduceLanes(VectorOperators.ADD);
                        if (sum != 0f) {
                            v = v.mul(1f / sum);
                        }
                    }
                    v = v.mul(momentum).add(FloatVector.fromArray(S, next, o).mul(1f - momentum));
                }
                exact(v).intoArray(next, o);
                dc = dc.add(v.sub(FloatVector.fromArray(S, y, o)).abs());
                dm = dm.add(v.abs());
            }
            change += dc.reduceLanes(VectorOperators.ADD);
            mass += dm.reduceLanes(VectorOperators.ADD);
        }
        return new StepResult(change, mass);
    }

    /** As {@link #stepSlicedOneVector}, for slices of 4 rows of two vectors. */
    private static StepResult stepSlicedTwoVectors(PaddedStep step, float[] y, float[] next, int from, int to,
                                          float momentum) {
        SlicedRows sl = step.slices();
        int[] start = sl.start();
        int[] rows = sl.rows();
        float[] y0 = step.y0();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        int s = 2 * L;
        float[] product = new float[4 * s];
        int first = sl.firstSlice(from, CpuBackend.ROW_BLOCK);
        int last = first + (to - from + 3) / 4;
        double change = 0;
        double mass = 0;
        for (int k = first; k < last; k++) {
            productsTwoVectors(sl.col(), sl.weight(), start[k], start[k + 1], y, product);
            FloatVector dc = FloatVector.zero(S);
            FloatVector dm = dc;
            for (int lane = 0; lane < 4; lane++) {
                int i = rows[k * 4 + lane];
                if (i < 0) {
                    continue;
                }
                int o = i * s;
                FloatVector v0;
                FloatVector v1;
                if (rule.isClamped(i)) {
                    v0 = FloatVector.fromArray(S, y0, o);
                    v1 = FloatVector.fromArray(S, y0, o + L);
                } else {
                    v0 = FloatVector.fromArray(S, product, lane * s).mul(alpha);
                    v1 = FloatVector.fromArray(S, product, lane * s + L).mul(alpha);
                    if (step.hasPrior(i)) {
                        v0 = v0.add(FloatVector.fromArray(S, y0, o).mul(beta));
                        v1 = v1.add(FloatVector.fromArray(S, y0, o + L).mul(beta));
                    }
                    if (rule.normalizeRows()) {
                        float sum = v0.add(v1).reduceLanes(VectorOperators.ADD);
                        if (sum != 0f) {
                            float inv = 1f / sum;
                            v0 = v0.mul(inv);
                            v1 = v1.mul(inv);
                        }
                    }
                    v0 = v0.mul(momentum).add(FloatVector.fromArray(S, next, o).mul(1f - momentum));
                    v1 = v1.mul(momentum).add(FloatVector.fromArray(S, next, o + L).mul(1f - momentum));
                }
                exact(v0).intoArray(next, o);
                exact(v1).intoArray(next, o + L);
                dc = dc.add(v0.sub(FloatVector.fromArray(S, y, o)).abs()).add(v1.sub(FloatVector.fromArray(S, y, o + L)).abs());
                dm = dm.add(v0.abs()).add(v1.abs());
            }
            change += dc.reduceLanes(VectorOperators.ADD);
            mass += dm.reduceLanes(VectorOperators.ADD);
        }
        return new StepResult(change, mass);
    }

    /** Products of a slice of 8 rows of one vector: edges [p, end) column-major, into product (8 x L). */
    private static void productsOneVector(int[] col, float[] w, int p, int end, float[] y, float[] product) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (; p < end; p += 8) {
            a0 = FloatVector.fromArray(S, y, col[p + 0] * L).fma(FloatVector.broadcast(S, w[p + 0]), a0);
            a1 = FloatVector.fromArray(S, y, col[p + 1] * L).fma(FloatVector.broadcast(S, w[p + 1]), a1);
            a2 = FloatVector.fromArray(S, y, col[p + 2] * L).fma(FloatVector.broadcast(S, w[p + 2]), a2);
            a3 = FloatVector.fromArray(S, y, col[p + 3] * L).fma(FloatVector.broadcast(S, w[p + 3]), a3);
            a4 = FloatVector.fromArray(S, y, col[p + 4] * L).fma(FloatVector.broadcast(S, w[p + 4]), a4);
            a5 = FloatVector.fromArray(S, y, col[p + 5] * L).fma(FloatVector.broadcast(S, w[p + 5]), a5);
            a6 = FloatVector.fromArray(S, y, col[p + 6] * L).fma(FloatVector.broadcast(S, w[p + 6]), a6);
            a7 = FloatVector.fromArray(S, y, col[p + 7] * L).fma(FloatVector.broadcast(S, w[p + 7]), a7);
        }
        exact(a0).intoArray(product, 0 * L);
        exact(a1).intoArray(product, 1 * L);
        exact(a2).intoArray(product, 2 * L);
        exact(a3).intoArray(product, 3 * L);
        exact(a4).intoArray(product, 4 * L);
        exact(a5).intoArray(product, 5 * L);
        exact(a6).intoArray(product, 6 * L);
        exact(a7).intoArray(product, 7 * L);
    }

    /** Products of a slice of 4 rows of two vectors: edges [p, end) column-major, into product (4 x 2L). */
    private static void productsTwoVectors(int[] col, float[] w, int p, int end, float[] y, float[] product) {
        int s = 2 * L;
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (; p < end; p += 4) {
            int j0 = col[p + 0] * s;
            FloatVector w0 = FloatVector.broadcast(S, w[p + 0]);
            a00 = FloatVector.fromArray(S, y, j0).fma(w0, a00);
            a01 = FloatVector.fromArray(S, y, j0 + L).fma(w0, a01);
            int j1 = col[p + 1] * s;
            FloatVector w1 = FloatVector.broadcast(S, w[p + 1]);
            a10 = FloatVector.fromArray(S, y, j1).fma(w1, a10);
            a11 = FloatVector.fromArray(S, y, j1 + L).fma(w1, a11);
            int j2 = col[p + 2] * s;
            FloatVector w2 = FloatVector.broadcast(S, w[p + 2]);
            a20 = FloatVector.fromArray(S, y, j2).fma(w2, a20);
            a21 = FloatVector.fromArray(S, y, j2 + L).fma(w2, a21);
            int j3 = col[p + 3] * s;
            FloatVector w3 = FloatVector.broadcast(S, w[p + 3]);
            a30 = FloatVector.fromArray(S, y, j3).fma(w3, a30);
            a31 = FloatVector.fromArray(S, y, j3 + L).fma(w3, a31);
        }
        exact(a00).intoArray(product, 0 * L);
        exact(a01).intoArray(product, 1 * L);
        exact(a10).intoArray(product, 2 * L);
        exact(a11).intoArray(product, 3 * L);
        exact(a20).intoArray(product, 4 * L);
        exact(a21).intoArray(product, 5 * L);
        exact(a30).intoArray(product, 6 * L);
        exact(a31).intoArray(product, 7 * L);
    }

    /**
     * Without slices (Y larger than the caches, see CpuBackend): one row at a time on CSR, the row's edges in
     * two accumulators (halving the FMA dependency chain), the row finished in registers.
     */
    private static StepResult stepOneVector(PaddedStep step, float[] y, float[] next, int from, int to,
                                          float momentum) {
        int[] rowPtr = step.rowPtr();
        int[] col = step.col();
        float[] w = step.weight();
        float[] y0 = step.y0();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        double change = 0;
        double mass = 0;
        for (int r0 = from; r0 < to; r0 += SUM_ROWS) {
            FloatVector dc = FloatVector.zero(S);
            FloatVector dm = dc;
            for (int i = r0, r1 = Math.min(to, r0 + SUM_ROWS); i < r1; i++) {
                int o = i * L;
                FloatVector v;
                if (rule.isClamped(i)) {
                    v = FloatVector.fromArray(S, y0, o);
                } else {
                    v = rowProduct(col, w, rowPtr[i], rowPtr[i + 1], y, L, 0).mul(alpha);
                    if (step.hasPrior(i)) {
                        v = v.add(FloatVector.fromArray(S, y0, o).mul(beta));
                    }
                    if (rule.normalizeRows()) {
                        float sum = v.reduceLanes(VectorOperators.ADD);
                        if (sum != 0f) {
                            v = v.mul(1f / sum);
                        }
                    }
                    v = v.mul(momentum).add(FloatVector.fromArray(S, next, o).mul(1f - momentum));
                }
                v.intoArray(next, o);
                dc = dc.add(v.sub(FloatVector.fromArray(S, y, o)).abs());
                dm = dm.add(v.abs());
            }
            change += dc.reduceLanes(VectorOperators.ADD);
            mass += dm.reduceLanes(VectorOperators.ADD);
        }
        return new StepResult(change, mass);
    }

    private static StepResult stepTwoVectors(PaddedStep step, float[] y, float[] next, int from, int to,
                                          float momentum) {
        int[] rowPtr = step.rowPtr();
        int[] col = step.col();
        float[] w = step.weight();
        float[] y0 = step.y0();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        int s = 2 * L;
        double change = 0;
        double mass = 0;
        for (int r0 = from; r0 < to; r0 += SUM_ROWS) {
            FloatVector dc = FloatVector.zero(S);
            FloatVector dm = dc;
            for (int i = r0, r1 = Math.min(to, r0 + SUM_ROWS); i < r1; i++) {
                int o = i * s;
                FloatVector v0;
                FloatVector v1;
                if (rule.isClamped(i)) {
                    v0 = FloatVector.fromArray(S, y0, o);
                    v1 = FloatVector.fromArray(S, y0, o + L);
                } else {
                    FloatVector a00 = FloatVector.zero(S);
                    FloatVector a01 = a00;
                    FloatVector a10 = a00;
                    FloatVector a11 = a00;
                    int e = rowPtr[i];
                    int end = rowPtr[i + 1];
                    for (; e + 1 < end; e += 2) {
                        int j0 = col[e] * s;
                        int j1 = col[e + 1] * s;
                        FloatVector w0 = FloatVector.broadcast(S, w[e]);
                        FloatVector w1 = FloatVector.broadcast(S, w[e + 1]);
                        a00 = FloatVector.fromArray(S, y, j0).fma(w0, a00);
                        a10 = FloatVector.fromArray(S, y, j0 + L).fma(w0, a10);
                        a01 = FloatVector.fromArray(S, y, j1).fma(w1, a01);
                        a11 = FloatVector.fromArray(S, y, j1 + L).fma(w1, a11);
                    }
                    if (e < end) {
                        int j0 = col[e] * s;
                        FloatVector w0 = FloatVector.broadcast(S, w[e]);
                        a00 = FloatVector.fromArray(S, y, j0).fma(w0, a00);
                        a10 = FloatVector.fromArray(S, y, j0 + L).fma(w0, a10);
                    }
                    v0 = a00.add(a01).mul(alpha);
                    v1 = a10.add(a11).mul(alpha);
                    if (step.hasPrior(i)) {
                        v0 = v0.add(FloatVector.fromArray(S, y0, o).mul(beta));
                        v1 = v1.add(FloatVector.fromArray(S, y0, o + L).mul(beta));
                    }
                    if (rule.normalizeRows()) {
                        float sum = v0.add(v1).reduceLanes(VectorOperators.ADD);
                        if (sum != 0f) {
                            float inv = 1f / sum;
                            v0 = v0.mul(inv);
                            v1 = v1.mul(inv);
                        }
                    }
                    v0 = v0.mul(momentum).add(FloatVector.fromArray(S, next, o).mul(1f - momentum));
                    v1 = v1.mul(momentum).add(FloatVector.fromArray(S, next, o + L).mul(1f - momentum));
                }
                v0.intoArray(next, o);
                v1.intoArray(next, o + L);
                dc = dc.add(v0.sub(FloatVector.fromArray(S, y, o)).abs()).add(v1.sub(FloatVector.fromArray(S, y, o + L)).abs());
                dm = dm.add(v0.abs()).add(v1.abs());
            }
            change += dc.reduceLanes(VectorOperators.ADD);
            mass += dm.reduceLanes(VectorOperators.ADD);
        }
        return new StepResult(change, mass);
    }

    /** Classes [k, k + L) of one row's product: the edges [from, to) in two accumulators, even and odd. */
    private static FloatVector rowProduct(int[] col, float[] w, int from, int to, float[] y, int s, int k) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        int e = from;
        for (; e + 1 < to; e += 2) {
            a0 = FloatVector.fromArray(S, y, col[e] * s + k).fma(FloatVector.broadcast(S, w[e]), a0);
            a1 = FloatVector.fromArray(S, y, col[e + 1] * s + k).fma(FloatVector.broadcast(S, w[e + 1]), a1);
        }
        if (e < to) {
            a0 = FloatVector.fromArray(S, y, col[e] * s + k).fma(FloatVector.broadcast(S, w[e]), a0);
        }
        return a0.add(a1);
    }

    /** Rows of three or more vectors (or no slices): one pass over the row's CSR edges per vector, finished in next. */
    private static StepResult stepWide(PaddedStep step, float[] y, float[] next, int from, int to,
                                          float momentum) {
        int[] rowPtr = step.rowPtr();
        int[] col = step.col();
        float[] w = step.weight();
        float[] y0 = step.y0();
        StepRule rule = step.rule();
        float alpha = rule.alpha();
        float beta = rule.beta();
        int s = step.stride();
        double change = 0;
        double mass = 0;
        for (int i = from; i < to; i++) {
            int o = i * s;
            if (rule.isClamped(i)) {
                System.arraycopy(y0, o, next, o, s);
            } else {
                float sum = 0;
                for (int k = 0; k < s; k += L) {
                    FloatVector v = rowProduct(col, w, rowPtr[i], rowPtr[i + 1], y, s, k).mul(alpha);
                    if (step.hasPrior(i)) {
                        v = v.add(FloatVector.fromArray(S, y0, o + k).mul(beta));
                    }
                    v = v.mul(momentum).add(FloatVector.fromArray(S, next, o + k).mul(1f - momentum));
                    v.intoArray(next, o + k);
                    sum += v.reduceLanes(VectorOperators.ADD);
                }
                if (rule.normalizeRows() && sum != 0f) {
                    float inv = 1f / sum;
                    for (int k = 0; k < s; k += L) {
                        FloatVector.fromArray(S, next, o + k).mul(inv).intoArray(next, o + k);
                    }
                }
            }
            FloatVector dc = FloatVector.zero(S);
            FloatVector dm = dc;
            for (int k = 0; k < s; k += L) {
                FloatVector v = FloatVector.fromArray(S, next, o + k);
                dc = dc.add(v.sub(FloatVector.fromArray(S, y, o + k)).abs());
                dm = dm.add(v.abs());
            }
            change += dc.reduceLanes(VectorOperators.ADD);
            mass += dm.reduceLanes(VectorOperators.ADD);
        }
        return new StepResult(change, mass);
    }

    @Override
    public int classPadding() {
        return L;
    }

    /**
     * A row of features widened to double, so the class loops run on double vectors alone (widening float
     * vectors in registers needs a half-width float species, see S, or an expanding conversion that
     * measured slower than this copy: a fit 12.2 s against 16.3 s).
     */
    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[0]);

    private static double[] widened(float[] x, int o, int d) {
        double[] row = ROW.get();
        if (row.length < d) {
            row = new double[d];
            ROW.set(row);
        }
        for (int j = 0; j < d; j++) {
            row[j] = x[o + j];
        }
        return row;
    }

    /** Four floats widened to four doubles: the eight exact sums are two such vectors on any x86 species. */
    private static final VectorSpecies<Float> EXACT_FLOATS = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> EXACT_SUMS = DoubleVector.SPECIES_256;

    /**
     * {@link FloatMatrix#exactSquaredDistance}'s eight sums held in two 4-lane double vectors (lane r of the
     * first is sum r, of the second sum 4 + r), two candidates at a time so four chains of FMAs are in flight,
     * the query row widened once per call; lanes combined and the tail added as the definition says, so the
     * bits are the plain loop's. 256-bit vectors on both ISAs: the loop is bound by the gathers of random
     * candidate rows, not by the width, and one code path means one set of bits to test.
     */
    @Override
    public void exactSquaredDistances(float[] q, int qOffset, float[] base, int[] index, int o, int k, int d,
                                      double[] out) {
        double[] row = widened(q, qOffset, d);
        int bound = d - d % FloatMatrix.EXACT_SUMS;
        int j = 0;
        for (; j + 1 < k; j += 2) {
            int b0 = index[o + j] * d;
            int b1 = index[o + j + 1] * d;
            DoubleVector lo0 = DoubleVector.zero(EXACT_SUMS);
            DoubleVector hi0 = DoubleVector.zero(EXACT_SUMS);
            DoubleVector lo1 = DoubleVector.zero(EXACT_SUMS);
            DoubleVector hi1 = DoubleVector.zero(EXACT_SUMS);
            for (int t = 0; t < bound; t += FloatMatrix.EXACT_SUMS) {
                DoubleVector qlo = DoubleVector.fromArray(EXACT_SUMS, row, t);
                DoubleVector qhi = DoubleVector.fromArray(EXACT_SUMS, row, t + 4);
                DoubleVector u = qlo.sub(widen(base, b0 + t));
                lo0 = u.fma(u, lo0);
                u = qhi.sub(widen(base, b0 + t + 4));
                hi0 = u.fma(u, hi0);
                u = qlo.sub(widen(base, b1 + t));
                lo1 = u.fma(u, lo1);
                u = qhi.sub(widen(base, b1 + t + 4));
                hi1 = u.fma(u, hi1);
            }
            out[j] = exactTail(row, base, b0, bound, d, lo0, hi0);
            out[j + 1] = exactTail(row, base, b1, bound, d, lo1, hi1);
        }
        for (; j < k; j++) {
            int b0 = index[o + j] * d;
            DoubleVector lo = DoubleVector.zero(EXACT_SUMS);
            DoubleVector hi = DoubleVector.zero(EXACT_SUMS);
            for (int t = 0; t < bound; t += FloatMatrix.EXACT_SUMS) {
                DoubleVector u = DoubleVector.fromArray(EXACT_SUMS, row, t).sub(widen(base, b0 + t));
                lo = u.fma(u, lo);
                u = DoubleVector.fromArray(EXACT_SUMS, row, t + 4).sub(widen(base, b0 + t + 4));
                hi = u.fma(u, hi);
            }
            out[j] = exactTail(row, base, b0, bound, d, lo, hi);
        }
    }

    private static DoubleVector widen(float[] x, int offset) {
        return (DoubleVector) FloatVector.fromArray(EXACT_FLOATS, x, offset).convertShape(VectorOperators.F2D, EXACT_SUMS, 0);
    }

    /** The eight sums combined in the definition's order, then features [bound, d) added one by one. */
    private static double exactTail(double[] row, float[] base, int b, int bound, int d, DoubleVector lo,
                                    DoubleVector hi) {
        double s = ((lo.lane(0) + lo.lane(1)) + (lo.lane(2) + lo.lane(3)))
                + ((hi.lane(0) + hi.lane(1)) + (hi.lane(2) + hi.lane(3)));
        for (int t = bound; t < d; t++) {
            double u = row[t] - base[b + t];
            s = Math.fma(u, u, s);
        }
        return s;
    }

    /** One class at a time over the widened row: D.length() products per FMA. */
    @Override
    public void linearScores(float[] x, int o, int d, double[] w, double[] b, double[] z) {
        double[] row = widened(x, o, d);
        int n = D.length();
        int bound = d - d % n;
        for (int k = 0; k < z.length; k++) {
            int wk = k * d;
            DoubleVector acc = DoubleVector.zero(D);
            int j = 0;
            for (; j < bound; j += n) {
                acc = DoubleVector.fromArray(D, w, wk + j).fma(DoubleVector.fromArray(D, row, j), acc);
            }
            double s = acc.reduceLanes(VectorOperators.ADD);
            for (; j < d; j++) {
                s += w[wk + j] * row[j];
            }
            z[k] = b[k] + s;
        }
    }

    @Override
    public void addScaledRow(double[] g, double[] r, float[] x, int o, int d) {
        double[] row = widened(x, o, d);
        int n = D.length();
        int bound = d - d % n;
        for (int k = 0; k < r.length; k++) {
            double rk = r[k];
            if (rk == 0) {
                continue;
            }
            int gk = k * d;
            DoubleVector rv = DoubleVector.broadcast(D, rk);
            int j = 0;
            for (; j < bound; j += n) {
                DoubleVector.fromArray(D, row, j).fma(rv, DoubleVector.fromArray(D, g, gk + j)).intoArray(g, gk + j);
            }
            for (; j < d; j++) {
                g[gk + j] += rk * row[j];
            }
        }
    }
}
