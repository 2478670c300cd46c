package io.herald.postgres.embedded;

import java.nio.file.Path;

/** Another live process holds the embedded PostgreSQL's data directory: a second Herald on the same directory. */
public final class DataDirectoryInUseException extends IllegalStateException {

    private final Path directory;
    private final String holderPid;

    public DataDirectoryInUseException(Path directory, String holderPid) {
        super("the data directory " + directory + " is in use by another running Herald"
                + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
                + ": stop it, or give this one another data directory (HERALD_DATA_DIR)");
        this.directory = directory;
        this.holderPid = holderPid;
    }

    public Path directory() {
        return directory;
    }

    /** The holder's pid as it wrote it into the lock file; empty when unknown. */
    public String holderPid() {
        return holderPid;
    }
}
