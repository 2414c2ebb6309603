package org.labelprop.core.io;

/**
 * Edges as parallel arrays: edge {@code i} joins node {@code src[i]} to {@code dst[i]} with weight
 * {@code weight[i]}, or weight 1 when {@code weight} is null. The arrays are held, not copied.
 */
public record EdgeList(int[] src, int[] dst, float[] weight) {
    public EdgeList {
        if (src.length != dst.length || (weight != null && weight.length != src.length)) {
            throw new IllegalArgumentException("edge arrays differ in length: src " + src.length + ", dst "
                    + dst.length + (weight == null ? "" : ", weight " + weight.length));
        }
    }

    public int size() {
        return src.length;
    }
}
