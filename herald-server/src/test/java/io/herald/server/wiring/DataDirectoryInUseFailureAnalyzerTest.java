package io.herald.server.wiring;

import io.herald.postgres.embedded.DataDirectoryInUseException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirectoryInUseFailureAnalyzerTest {

    @Test
    void aSecondHeraldOnTheSameDirectoryIsToldWhatToDo() {
        DataDirectoryInUseException inUse = new DataDirectoryInUseException(Path.of("/srv/herald/data"), "4242");
        // as Spring wraps it: bean creation failures around the factory method's exception
        Throwable wrapped = new IllegalStateException("Error creating bean with name 'dataSource'", new RuntimeException(inUse));
        FailureAnalysis a = new DataDirectoryInUseFailureAnalyzer().analyze(wrapped);
        assertThat(a).isNotNull();
        assertThat(a.getDescription()).contains("/srv/herald/data").contains("pid 4242");
        assertThat(a.getAction()).contains("HERALD_DATA_DIR").contains("SERVER_PORT");
    }

    @Test
    void springBootFindsIt() throws Exception {
        // Spring Boot instantiates every FailureAnalyzer named in META-INF/spring.factories when a start fails
        String ours = "";
        for (var url : java.util.Collections
                .list(getClass().getClassLoader().getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION))) {
            if (!url.getPath().contains("herald-server")) continue;
            var props = new java.util.Properties();
            try (var in = url.openStream()) {
                props.load(in);
            }
            ours += props.getProperty(FailureAnalyzer.class.getName(), "");
        }
        assertThat(ours).contains(DataDirectoryInUseFailureAnalyzer.class.getName());
    }
}
