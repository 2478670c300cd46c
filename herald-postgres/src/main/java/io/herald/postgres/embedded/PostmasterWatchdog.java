package io.herald.postgres.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops the embedded postmaster when the JVM that started it dies without stopping it (kill -9, OOM killer, a
 * crash). pg_ctl starts the postmaster in a session of its own, so it would otherwise outlive Herald for ever.
 *
 * <p>Why a lifeline pipe and a shell: the watchdog is a {@code /bin/sh} child (about 1 MB) whose standard input is
 * a pipe this JVM holds open and never writes to. However the JVM ends, the kernel closes that pipe and the
 * watchdog's {@code read} returns at once: no polling, no JVM pid that could be reused, nothing native in the JVM
 * (Linux's parent-death signal cannot be set on a process that pg_ctl forks). The watchdog then asks the
 * postmaster for a fast shutdown (SIGINT, as {@code pg_ctl stop -m fast}), only if {@code postmaster.pid} still
 * names the postmaster it was started for (a clean stop removes the file; a newer Herald's postmaster has another
 * pid), and escalates to an immediate shutdown (SIGQUIT) if the file still names it a minute later. It ignores
 * terminal and termination signals, so Ctrl-C or a SIGTERM to the process group cannot take it away before the JVM
 * is gone.
 */
final class PostmasterWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);

    /** Appears as the watchdog's $0 in ps, next to the postmaster's pid and data directory. */
    static final String NAME = "herald-postgres-watchdog";

    private static final String SCRIPT = """
            trap '' INT HUP QUIT TERM
            while read -r _; do :; done
            ours() { read -r owner < "$2/postmaster.pid" 2>/dev/null && [ "$owner" = "$1" ] && kill -0 "$1" 2>/dev/null; }
            ours "$1" "$2" || exit 0
            kill -INT "$1"
            i=0
            while ours "$1" "$2"; do
              i=$((i + 1))
              if [ "$i" -gt 60 ]; then kill -QUIT "$1"; exit 0; fi
              sleep 1
            done
            """;

    private final Process process;

    private PostmasterWatchdog(Process process) {
        this.process = process;
    }

    /** Starts a watchdog for the postmaster {@code pid} of {@code dataDirectory}; empty where there is no /bin/sh. */
    static Optional<PostmasterWatchdog> start(long pid, Path dataDirectory) {
        Path shell = Path.of("/bin/sh");
        if (!Files.isExecutable(shell)) {
            log.warn("no /bin/sh: the embedded PostgreSQL will outlive this process if it is killed; the next start stops it");
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(shell.toString(), "-c", SCRIPT, NAME, Long.toString(pid),
                    dataDirectory.toAbsolutePath().toString())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new PostmasterWatchdog(p));
        } catch (IOException e) {
            log.warn("cannot start the PostgreSQL watchdog ({}): the next start stops an orphaned postmaster instead", e.toString());
            return Optional.empty();
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Lets the watchdog go after the postmaster was stopped: it sees the end of its input, finds no postmaster.pid
     * naming its postmaster and exits. Waits briefly so that nothing of Herald's runs on after it.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                log.warn("the PostgreSQL watchdog (pid {}) did not exit; killing it", process.pid());
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
