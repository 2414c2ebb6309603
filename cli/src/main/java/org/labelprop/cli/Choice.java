package org.labelprop.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.labelprop.core.search.Metric;
import org.labelprop.core.graph.Symmetrization;
import org.labelprop.core.graph.Weighting;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values spelled in lower case with hyphens ({@code self-tuning}) for enum constants
 * ({@code SELF_TUNING}); an unknown value lists the accepted ones.
 */
abstract class Choice<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    Choice(Class<E> type) {
        this.type = type;
    }

    static String spell(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (spell(e).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new TypeConversionException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Choice::spell).collect(Collectors.joining(", ")));
    }

    static final class MetricChoice extends Choice<Metric> {
        MetricChoice() {
            super(Metric.class);
        }
    }

    static final class WeightingChoice extends Choice<Weighting> {
        WeightingChoice() {
            super(Weighting.class);
        }
    }

    static final class SymmetrizationChoice extends Choice<Symmetrization> {
        SymmetrizationChoice() {
            super(Symmetrization.class);
        }
    }

    static final class AlgorithmChoice extends Choice<Algorithm> {
        AlgorithmChoice() {
            super(Algorithm.class);
        }
    }

    /** The propagation algorithms the CLI offers. */
    enum Algorithm {
        SPREADING,
        PROPAGATION,
        POISSON
    }
}
