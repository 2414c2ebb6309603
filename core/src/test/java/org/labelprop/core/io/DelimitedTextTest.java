package org.labelprop.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedTextTest {
    @TempDir
    Path dir;

    /** The hand-written fast path must give bit for bit what the JDK's correctly rounding parsers give. */
    @Test
    void numbersMatchTheJdkParsersExactly() throws IOException {
        Random random = new Random(42);
        List<String> values = new ArrayList<>(List.of("0", "-0", "+7", "16777217", "123456789012345678",
                "1234567890123456789", "0.1", "-.5", "5.", "3e-3", "1E+10", "9.999999e-11", "1e39", "-1e-46",
                "16777216.5", "0.30000001192092896", "2.5e-1", "1e22", "1e23", "9007199254740993"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder digits = new StringBuilder();
            for (int d = random.nextInt(20); d >= 0; d--) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            int point = random.nextInt(digits.length() + 1);
            String number = (random.nextBoolean() ? "-" : "") + digits.substring(0, point) + "."
                    + digits.substring(point);
            if (random.nextInt(3) == 0) {
                number += "e" + (random.nextInt(60) - 30);
            }
            values.add(number);
        }
        Path file = IoTestFiles.write(dir, "n.csv", String.join(",", values) + "\n");
        try (DelimitedText text = DelimitedText.open(file, false)) {
            assertTrue(text.next());
            assertEquals(values.size(), text.fieldCount());
            for (int f = 0; f < values.size(); f++) {
                String v = values.get(f);
                assertEquals(Float.floatToIntBits(Float.parseFloat(v)), Float.floatToIntBits(text.floatAt(f)), v);
                assertEquals(Double.doubleToLongBits(Double.parseDouble(v)), Double.doubleToLongBits(text.doubleAt(f)),
                        v);
            }
        }
    }

    @Test
    void splitsOnTheFirstRowsSeparatorAndTrims() throws IOException {
        Path file = IoTestFiles.write(dir, "t.tsv", " a b \t c\n1\t\t2\n");
        try (DelimitedText text = DelimitedText.open(file, false)) {
            assertTrue(text.next());
            assertEquals(2, text.fieldCount());
            assertEquals("a b", text.text(0));
            assertEquals("c", text.text(1));
            assertTrue(text.isHeader());
            assertTrue(text.next());
            assertEquals(3, text.fieldCount());
            assertTrue(text.isEmpty(1));
            assertFalse(text.isHeader());
            assertEquals(2, text.lineNumber());
            assertFalse(text.next());
        }
    }

    @Test
    void blankLinesAreSkippedOrKeptAsEmptyRows() throws IOException {
        Path file = IoTestFiles.write(dir, "b.txt", "1\n\n# note\n2\n");
        try (DelimitedText skipping = DelimitedText.open(file, false)) {
            assertTrue(skipping.next());
            assertTrue(skipping.next());
            assertEquals(4, skipping.lineNumber());
            assertFalse(skipping.next());
        }
        try (DelimitedText keeping = DelimitedText.open(file, true)) {
            assertTrue(keeping.next());
            assertTrue(keeping.next());
            assertEquals(1, keeping.fieldCount());
            assertTrue(keeping.isEmpty(0));
            assertTrue(keeping.next());
            assertEquals(4, keeping.lineNumber());
        }
    }
}
