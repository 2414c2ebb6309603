package org.labelprop.core;

/**
 * A parameter value outside its allowed range (an alpha of 1.5, k of 0). The message names the parameter
 * as the library spells it, e.g. {@code LabelSpreading.Options.alpha}; {@link #parameter()} gives that name
 * alone, so a front end can name its own spelling instead (the CLI maps it to its flag and reports a usage
 * error, exit status 2, where other DataExceptions are data errors, 1).
 */
public class InvalidOptionException extends DataException {
    private static final long serialVersionUID = 1L;
    private final String parameter;
    private final String problem;

    /**
     * @param parameter the record component or argument, qualified by its record: {@code KnnGraph.Options.k}
     * @param problem what was expected and what was given: {@code must be at least 1, got 0}
     */
    public InvalidOptionException(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    public String parameter() {
        return parameter;
    }

    /** The message without the parameter's name. */
    public String problem() {
        return problem;
    }
}
