package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.stream.Stream;
import org.labelprop.core.features.ImageBlur;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.labelprop.core.algo.Convergence;
import org.labelprop.core.algo.LabelPropagation;
import org.labelprop.core.algo.LabelSpreading;
import org.labelprop.core.algo.PoissonLearning;
import org.labelprop.core.algo.Regression;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import org.labelprop.core.model.CorrectAndSmooth;
import org.labelprop.core.model.KnnClassifier;
import org.labelprop.core.model.LogisticRegression;
import org.labelprop.core.model.PseudoLabeling;
import org.labelprop.core.model.SelfTraining;
import org.labelprop.core.model.SpreadingClassifier;
import org.labelprop.core.search.InvertedFile;
import org.labelprop.core.search.KnnGraph;
import org.labelprop.core.search.Metric;
import org.labelprop.core.search.NnDescent;

/**
 * Every options record has a {@code with...} method per component that changes that component and no other:
 * each is called on one valid record with the value from another whose every component differs.
 */
class OptionsWithersTest {
    /** Components whose with-method is named otherwise. */
    private static final Map<String, String> NAMES = Map.of("includeSelf", "withSelf");

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(LabelSpreading.Options.defaults(),
                        new LabelSpreading.Options(0.5f, 1e-2, 7, Convergence.TOTAL_CHANGE, false, false)),
                Arguments.of(LabelPropagation.Options.defaults(),
                        new LabelPropagation.Options(1e-2, 7, Convergence.TOTAL_CHANGE, false)),
                Arguments.of(PoissonLearning.Options.defaults(), new PoissonLearning.Options(3, 60)),
                Arguments.of(Regression.Options.defaults(),
                        new Regression.Options(Regression.Method.SPREADING, 0.5f, 1e-2, 7, false)),
                Arguments.of(CorrectAndSmooth.Options.defaults(), new CorrectAndSmooth.Options(0.3f, 0.4f, 3)),
                Arguments.of(KnnClassifier.Options.defaults(),
                        new KnnClassifier.Options(3, Metric.COSINE, KnnClassifier.Vote.UNIFORM)),
                Arguments.of(LogisticRegression.Options.defaults(), new LogisticRegression.Options(0.5, 1e-3, 7, true)),
                Arguments.of(PseudoLabeling.Options.defaults(), new PseudoLabeling.Options(2, 0.5f, 3, false)),
                // Both criteria's values valid on each side, so either criterion can be switched to.
                Arguments.of(new SelfTraining.Options(SelfTraining.Criterion.THRESHOLD, 0.8, 5, 10, false),
                        new SelfTraining.Options(SelfTraining.Criterion.K_BEST, 0.5, 3, 4, true)),
                Arguments.of(SpreadingClassifier.Options.defaults(),
                        new SpreadingClassifier.Options(LabelSpreading.Options.sklearn(), 0.5f)),
                Arguments.of(InvertedFile.Options.defaults(), new InvertedFile.Options(7, 16, 3, 1.2f, 4, 50)),
                Arguments.of(NnDescent.Options.defaults(), new NnDescent.Options(7, 3, 0.5f, 0.05, 2, 20)),
                Arguments.of(KnnGraph.Options.defaults(), new KnnGraph.Options(5, Metric.COSINE, true,
                        InvertedFile.withDefaults(), Weighting.GAUSSIAN, 2f, Symmetrization.MAX,
                        new ImageBlur(28, 28, 1, 1.0), 3, 0.25f, 50, 7)));
    }

    @ParameterizedTest
    @MethodSource("records")
    void eachWithChangesItsComponentOnly(Record base, Record other) throws ReflectiveOperationException {
        RecordComponent[] components = base.getClass().getRecordComponents();
        for (RecordComponent c : components) {
            assertNotEquals(value(base, c), value(other, c), "the test's records must differ in " + c.getName());
        }
        for (RecordComponent c : components) {
            String name = NAMES.getOrDefault(c.getName(),
                    "with" + Character.toUpperCase(c.getName().charAt(0)) + c.getName().substring(1));
            Method with = base.getClass().getMethod(name, c.getType());
            Record changed;
            try {
                changed = (Record) with.invoke(base, value(other, c));
            } catch (InvocationTargetException e) {
                throw new AssertionError(name + " refused " + value(other, c), e.getCause());
            }
            for (RecordComponent d : components) {
                assertEquals(value(d == c ? other : base, d), value(changed, d), name + " and " + d.getName());
            }
        }
    }

    private static Object value(Record r, RecordComponent c) throws ReflectiveOperationException {
        return c.getAccessor().invoke(r);
    }
}
