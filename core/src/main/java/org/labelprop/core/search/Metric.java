package org.labelprop.core.search;

/** How the distance between two feature vectors is measured. */
public enum Metric {
    /** sqrt(sum (x_i - y_i)^2). */
    EUCLIDEAN,
    /** 1 - x.y / (|x| |y|); computed as squared euclidean distance between unit vectors, halved. */
    COSINE
}
