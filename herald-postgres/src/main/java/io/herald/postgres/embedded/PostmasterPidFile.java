package io.herald.postgres.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's lock file {@code postmaster.pid} in a data directory: the postmaster's pid on the first line, the
 * data directory on the second and the port on the fourth. It exists while a postmaster runs and after one died
 * without shutting down (kill -9, power loss).
 *
 * @param pid  the postmaster's process id, or -1 when the first line is not a number (a file torn by a crash)
 * @param port the port, or -1 when the file does not say (yet)
 */
public record PostmasterPidFile(Path file, long pid, int port) {

    public static final String NAME = "postmaster.pid";

    /** The lock file of a data directory, if there is one. */
    public static Optional<PostmasterPidFile> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return Optional.of(new PostmasterPidFile(file, number(lines, 0), (int) number(lines, 3)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // unreadable as text (torn, binary garbage): as useless to PostgreSQL as a missing number
            return Optional.of(new PostmasterPidFile(file, -1, -1));
        }
    }

    private static long number(List<String> lines, int index) {
        if (lines.size() <= index) return -1;
        try {
            long n = Long.parseLong(lines.get(index).trim());
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
