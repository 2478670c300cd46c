package io.herald.postgres.embedded;

import java.nio.file.Path;

/**
 * Stands in for a Herald server in a child JVM: starts the embedded PostgreSQL of a data directory, prints
 * "READY port postmasterPid watchdogPid" and waits to be killed.
 */
public final class EmbeddedPostgresOwner {

    private EmbeddedPostgresOwner() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        System.out.println("READY " + server.port() + " " + server.postmasterPid() + " " + server.watchdogPid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
