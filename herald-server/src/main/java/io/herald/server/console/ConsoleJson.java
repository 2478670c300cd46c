package io.herald.server.console;

import tools.jackson.databind.json.JsonMapper;

/** The console's JSON: pretty-printing stored JSON, reading sample data typed into forms, feeding charts. */
final class ConsoleJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ConsoleJson() {
    }
}
