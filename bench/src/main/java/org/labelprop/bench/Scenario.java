package org.labelprop.bench;

import java.util.Arrays;
import java.util.List;

/** The end-to-end benchmark scenarios that {@link ScenarioRunner} runs, by the names users type. */
public enum Scenario {
    /** All 70,000 Fashion-MNIST images, exact graph, label spreading from 10 labels per class. */
    FASHION_MNIST("fashion-mnist"),
    /** The same with the exact search over every pair (no lower bound), for the tiles' rate. */
    FASHION_MNIST_ALL_PAIRS("fashion-mnist-all-pairs"),
    /** The same through an inverted-file graph, with its recall. */
    FASHION_MNIST_APPROX("fashion-mnist-approx"),
    /** 1,000,000 x 128 Gaussian clusters: an inverted-file graph and its recall. */
    CLUSTERS_1M("clusters-1m"),
    /** The same clusters through exact search (a GPU's scenario), then label spreading over 100 classes. */
    CLUSTERS_1M_EXACT("clusters-1m-exact"),
    /** A 10,000,000-node stochastic block model read from a CSV edge list, then label spreading. */
    SBM_10M("sbm-10m");

    private final String id;

    Scenario(String id) {
        this.id = id;
    }

    /** The name users type, e.g. {@code fashion-mnist}; also the scenario's key in the JSON results. */
    public String id() {
        return id;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Scenario::id).toList();
    }

    /** @throws IllegalArgumentException naming the known scenarios when {@code id} is none of them */
    public static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "'; known: " + String.join(", ", ids()));
    }
}
