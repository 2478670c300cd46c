package io.herald.server.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's packages point one way (docs/architecture.md, "The server's packages"): wiring knows everything;
 * api and console call core services and ports, and the shared admin services, never each other; http, config and
 * observability are leaves.
 * Only the wiring names the engines (PostgreSQL, Kafka, Redis), so one can replace another there alone.
 */
class ServerArchitectureTest {

    private static final String SERVER = "io.herald.server";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVER);

    @Test
    void serverPackagesAreFreeOfCycles() {
        slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheWiringUsesTheEngines() {
        // property records (config) may turn themselves into an engine's settings record; nothing else names an engine
        noClasses().that().resideOutsideOfPackages(SERVER + ".wiring..", SERVER + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald.postgres..", "io.herald.kafka..", "io.herald.redis..")
                .because("api, console, inbox, engagement and security call core services and ports; the wiring chooses the engine")
                .check(CLASSES);
    }

    @Test
    void sharedPackagesAreLeaves() {
        for (String leaf : List.of(SERVER + ".http..", SERVER + ".config..", SERVER + ".observability..")) {
            noClasses().that().resideInAPackage(leaf)
                    .should().dependOnClassesThat(resideInAPackage(SERVER + "..").and(resideOutsideOfPackage(leaf)))
                    .because("the problem+json writer, input checks, property records and metrics are shared by every other package")
                    .check(CLASSES);
        }
    }

    @Test
    void theConsoleCallsNoController() {
        noClasses().that().resideInAPackage(SERVER + ".console..")
                .should().dependOnClassesThat().resideInAPackage(SERVER + ".api..")
                .because("the console and the API both call core services and the server's shared services, never each other")
                .check(CLASSES);
    }
}
