package io.herald.core.preference;

import java.time.LocalTime;

/** A daily window in the user's timezone; may cross midnight (22:00-08:00). */
public record QuietHours(LocalTime start, LocalTime end) {
}
