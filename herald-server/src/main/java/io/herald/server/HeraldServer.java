package io.herald.server;

import io.herald.server.wiring.EarlyDatabase;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Herald's server: HTTP API, channel workers and scheduler in one process, or any of them alone (see herald.roles). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HeraldServer {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HeraldServer.class);
        app.addListeners(EarlyDatabase.listener()); // the database starts beside the context, not inside it
        app.run(args);
    }
}
