package org.labelprop.core.model;

/** Why a pseudo-labeling or self-training loop ended. */
public enum StopReason {
    /** The round limit was reached. */
    MAX_ROUNDS,
    /** Self-training: no unlabeled row met the criterion (or, balanced, some class had no candidate). */
    NO_NEW_LABELS,
    /** Self-training: every row has a label. */
    ALL_LABELED,
    /** Pseudo-labeling: a round changed no pseudo-label at full weight, so further rounds would repeat it. */
    LABELS_STABLE
}
