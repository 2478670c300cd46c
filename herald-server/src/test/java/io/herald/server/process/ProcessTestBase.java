package io.herald.server.process;

import io.herald.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/** A schema of the test's own, the processes it starts (killed afterwards), and the schema dropped at the end. */
abstract class ProcessTestBase {

    protected final String schema;
    protected final SchemaDb db;
    private final List<ServerProcess> processes = new ArrayList<>();

    protected ProcessTestBase(String schemaPrefix) {
        schema = TestPostgres.newSchema(schemaPrefix);
        db = new SchemaDb(schema);
    }

    /** Starts the process and has it killed after the test. */
    protected ServerProcess start(ServerProcess.Builder builder) {
        ServerProcess p = builder.start();
        processes.add(p);
        return p;
    }

    @AfterEach
    void stopProcessesAndDropSchema() {
        try {
            processes.forEach(ServerProcess::close);
        } finally {
            db.close();
            TestPostgres.dropSchema(schema);
        }
    }
}
