package org.labelprop.core.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labelprop.core.DataException;
import org.labelprop.core.Prediction;

class ClassPriorsTest {
    /**
     * Rows 0 and 5 are labeled. The four unlabeled rows all lean to class 0, with odds 9, 4, 7/3 and 3/2;
     * half to each class moves the two with the lowest odds (rows 3 and 4) to class 1. Weights w1/w0 in
     * (7/3, 4) do that; the first two steps land on e^1.01 = 2.75.
     */
    @Test
    void uniformPriorsMoveTheLeastConfidentRows() {
        Labels labels = Labels.of(new int[] {3, -1, -1, -1, -1, 8}, "labels");
        float[] dist = {1f, 0f, .9f, .1f, .8f, .2f, .7f, .3f, .6f, .4f, 0f, 1f};
        Prediction before = Prediction.of(new int[] {3, 8}, dist);
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 8}, before.label());
        Prediction after = ClassPriors.UNIFORM.apply(before, labels);
        assertArrayEquals(new int[] {3, 3, 3, 8, 8, 8}, after.label());
        // Labeled rows are kept; the others rescaled and renormalized.
        assertEquals(1f, after.probability(0, 0));
        double w = Math.exp(1.01) * .3 / .7;
        assertEquals(w / (1 + w), after.probability(3, 1), 1e-3);
        // The labeled proportions are 1:1 too here; 3 to 1 moves only row 4.
        Prediction quarter = ClassPriors.of(Map.of(3, 0.75, 8, 0.25), "p.csv").apply(before, labels);
        assertArrayEquals(new int[] {3, 3, 3, 3, 8, 8}, quarter.label());
        assertArrayEquals(new double[] {.5, .5}, ClassPriors.LABELED.resolve(labels), 0);
    }

    @Test
    void badPriorsAreOneClearLine() {
        Labels labels = Labels.of(new int[] {3, -1, 8}, "labels");
        assertEquals("p.csv: the class priors sum to 0.9; they must sum to 1",
                assertThrows(DataException.class, () -> ClassPriors.of(Map.of(3, 0.5, 8, 0.4), "p.csv")).getMessage());
        assertEquals("p.csv: class 5 is not among the labels' classes [3, 8]", assertThrows(DataException.class,
                () -> ClassPriors.of(Map.of(3, 0.5, 5, 0.5), "p.csv").resolve(labels)).getMessage());
        assertEquals("p.csv: no prior for class 8; give one per class [3, 8]", assertThrows(DataException.class,
                () -> ClassPriors.of(Map.of(3, 1.0), "p.csv").resolve(labels)).getMessage());
        assertEquals("p.csv: the prior of class 3 is -0.5; priors are shares in [0, 1]", assertThrows(
                DataException.class, () -> ClassPriors.of(Map.of(3, -0.5, 8, 1.5), "p.csv")).getMessage());
    }
}
