package io.herald.server.wiring;

import io.herald.postgres.embedded.DataDirectoryInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second Herald on the same data directory: Spring Boot's "APPLICATION FAILED TO START" block says what to do,
 * instead of a 160-line stack trace with the reason at its bottom.
 */
public final class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        String holder = cause.holderPid().isEmpty() ? "another running Herald" : "another running Herald (pid " + cause.holderPid() + ")";
        return new FailureAnalysis("The embedded PostgreSQL's data directory " + cause.directory() + " is in use by " + holder + ".",
                "Stop that Herald, or start this one with another data directory (HERALD_DATA_DIR or --herald.data-dir=...)"
                        + " and another port (SERVER_PORT or --server.port=...).",
                cause);
    }
}
