package org.labelprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassNamesTest {
    /**
     * The values and what scikit-learn 1.9.1 made of them (numpy 2.4.6), by
     * {@code e = LabelEncoder().fit(np.array(VALUES, dtype=object))}: {@code e.classes_} and
     * {@code e.transform(VALUES)}. Code point order: capitals before lower case, digits as text ("10" before
     * "2"), U+FFFD before U+1F600 although Java's String.compareTo (UTF-16 units) puts the emoji first.
     */
    private static final List<String> VALUES = List.of("dog", "cat", "Zebra", "ant", "10", "2", "\u00e9clair",
            "eclair", "\ufffd", "\ud83d\ude00", "cat");
    private static final List<String> SKLEARN_CLASSES = List.of("10", "2", "Zebra", "ant", "cat", "dog", "eclair",
            "\u00e9clair", "\ufffd", "\ud83d\ude00");
    private static final int[] SKLEARN_TRANSFORM = {5, 4, 2, 3, 0, 1, 7, 6, 8, 9, 4};

    @Test
    void fitSortsAsScikitLearnsLabelEncoder() {
        ClassNames names = ClassNames.fit(VALUES);
        assertEquals(SKLEARN_CLASSES, names.names());
        int[] ids = VALUES.stream().mapToInt(names::label).toArray();
        assertArrayEquals(SKLEARN_TRANSFORM, ids);
        assertTrue("\ud83d\ude00".compareTo("\ufffd") < 0, "UTF-16 order differs here, which is why ORDER exists");
    }

    @Test
    void namesToLabelsToNamesRoundTrip() {
        ClassNames names = ClassNames.fit(VALUES);
        for (String v : VALUES) {
            assertEquals(v, names.name(names.label(v)));
        }
        assertArrayEquals(VALUES.toArray(new String[0]),
                names.names(VALUES.stream().mapToInt(names::label).toArray()));
        assertEquals(names, ClassNames.of(names.names()));
        assertEquals(-1, names.label("cow"));
        assertEquals("", names.name(Label.UNLABELED));
        assertThrows(IllegalArgumentException.class, () -> names.name(names.size()));
    }

    @Test
    void numbersAreTheLabelsThemselves() {
        assertFalse(ClassNames.NUMBERS.named());
        assertEquals("7", ClassNames.NUMBERS.name(7));
        assertEquals("-1", ClassNames.NUMBERS.name(Label.UNLABELED));
        assertEquals(List.of(), ClassNames.NUMBERS.names());
        assertThrows(IllegalStateException.class, () -> ClassNames.NUMBERS.label("7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " cat", "cat ", "a,b", "a\"b", "#cat", "a\tb", "a\u0001b", "-1", "-1.0", "NaN", "nan"})
    void textAFileCannotHoldAsANameIsNoName(String text) {
        assertNotNull(ClassNames.problem(text));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.of(List.of(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cat", "ankle boot", "T-shirt/top", "3", "-2", "1.5", "inf", "caf\u00e9", "\u732b"})
    void namesMayHoldSpacesAndLookLikeNumbers(String text) {
        assertNull(ClassNames.problem(text));
    }

    @Test
    void ofWantsNamesInOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassNames.of(List.of("dog", "cat")));
        assertTrue(e.getMessage().contains("'dog' and 'cat' are not strictly ascending"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassNames.of(List.of("cat", "cat")));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.of(List.of()));
    }

    @Test
    void describeListsTenNames() {
        ClassNames many = ClassNames.fit(java.util.stream.IntStream.range(0, 12).mapToObj(i -> "c" + (char) ('a' + i))
                .toList());
        assertEquals("'ca', 'cb', 'cc', 'cd', 'ce', 'cf', 'cg', 'ch', 'ci', 'cj' and 2 more", many.describe());
    }
}
