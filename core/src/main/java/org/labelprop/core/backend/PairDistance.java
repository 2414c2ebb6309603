package org.labelprop.core.backend;

/** Squared euclidean distance between rows i and j of a matrix fixed when the function was made. */
@FunctionalInterface
public interface PairDistance {
    float between(int i, int j);
}
