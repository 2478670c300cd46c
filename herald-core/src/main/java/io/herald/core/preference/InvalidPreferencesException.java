package io.herald.core.preference;

import java.util.List;
import java.util.stream.Collectors;

/** A preferences document cannot be accepted; carries every problem so the API can answer 422 in one go. */
public class InvalidPreferencesException extends IllegalArgumentException {

    private final List<PreferenceProblem> problems;

    public InvalidPreferencesException(List<PreferenceProblem> problems) {
        super("invalid preferences: " + problems.stream().map(PreferenceProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<PreferenceProblem> problems() {
        return problems;
    }
}
