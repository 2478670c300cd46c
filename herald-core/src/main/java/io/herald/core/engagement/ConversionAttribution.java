package io.herald.core.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which notification of an event a conversion is credited to: among those sent inside the window before the
 * conversion, the most recently clicked one, else the most recently opened one, else the most recent one.
 */
public final class ConversionAttribution {

    /** @param clickedAt latest human click, or null; openedAt latest human open, or null */
    public record Candidate(UUID id, Instant createdAt, Instant clickedAt, Instant openedAt) {
    }

    private final Duration window;

    public ConversionAttribution(Duration window) {
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    public Optional<Candidate> pick(List<Candidate> candidates, Instant convertedAt) {
        Instant earliest = convertedAt.minus(window);
        List<Candidate> eligible = candidates.stream()
                .filter(c -> !c.createdAt().isAfter(convertedAt) && !c.createdAt().isBefore(earliest)).toList();
        Optional<Candidate> clicked = latest(eligible, Candidate::clickedAt, convertedAt);
        if (clicked.isPresent()) return clicked;
        Optional<Candidate> opened = latest(eligible, Candidate::openedAt, convertedAt);
        if (opened.isPresent()) return opened;
        return eligible.stream().max(Comparator.comparing(Candidate::createdAt));
    }

    private static Optional<Candidate> latest(List<Candidate> eligible, java.util.function.Function<Candidate, Instant> when,
                                              Instant before) {
        return eligible.stream().filter(c -> when.apply(c) != null && !when.apply(c).isAfter(before))
                .max(Comparator.comparing(when));
    }
}
