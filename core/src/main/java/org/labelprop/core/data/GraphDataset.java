package org.labelprop.core.data;

import org.labelprop.core.io.EdgeList;

/** A graph with every node's true class: what graph-only benchmarks propagate over and score against. */
public record GraphDataset(String name, int nodes, EdgeList edges, int[] truth) {
    public GraphDataset {
        if (truth.length != nodes) {
            throw new IllegalArgumentException(nodes + " nodes but " + truth.length + " classes");
        }
    }
}
