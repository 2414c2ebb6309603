package org.labelprop.core.io;

import java.nio.ByteBuffer;

/**
 * The numeric element types that .npy and IDX arrays hold, decoded in bulk from a buffer in its byte order.
 *
 * <p>The switch sits outside the per-element loops so each loop is a tight, JIT-friendly pass.
 */
enum ElementType {
    UINT8(1), INT8(1), INT16(2), INT32(4), INT64(8), FLOAT32(4), FLOAT64(8);

    final int size;

    ElementType(int size) {
        this.size = size;
    }

    /** Decodes {@code n} elements at the buffer's position into {@code dst[off, off + n)}, advancing the buffer. */
    void toFloats(ByteBuffer src, float[] dst, int off, int n) {
        int end = off + n;
        switch (this) {
            case UINT8 -> {
                for (int i = off; i < end; i++) dst[i] = src.get() & 0xFF;
            }
            case INT8 -> {
                for (int i = off; i < end; i++) dst[i] = src.get();
            }
            case INT16 -> {
                for (int i = off; i < end; i++) dst[i] = src.getShort();
            }
            case INT32 -> {
                for (int i = off; i < end; i++) dst[i] = src.getInt();
            }
            case INT64 -> {
                for (int i = off; i < end; i++) dst[i] = src.getLong();
            }
            case FLOAT32 -> {
                src.asFloatBuffer().get(dst, off, n);
                src.position(src.position() + n * Float.BYTES);
            }
            case FLOAT64 -> {
                for (int i = off; i < end; i++) dst[i] = (float) src.getDouble();
            }
        }
    }

    /**
     * Decodes {@code n} elements at the buffer's position into {@code dst[0, n)}, advancing the buffer. Doubles
     * hold every int32 exactly and int64 up to 2^53, which covers any valid label or node id.
     */
    void toDoubles(ByteBuffer src, double[] dst, int n) {
        switch (this) {
            case UINT8 -> {
                for (int i = 0; i < n; i++) dst[i] = src.get() & 0xFF;
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) dst[i] = src.get();
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) dst[i] = src.getShort();
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) dst[i] = src.getInt();
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) dst[i] = src.getLong();
            }
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) dst[i] = src.getFloat();
            }
            case FLOAT64 -> {
                src.asDoubleBuffer().get(dst, 0, n);
                src.position(src.position() + n * Double.BYTES);
            }
        }
    }
}
