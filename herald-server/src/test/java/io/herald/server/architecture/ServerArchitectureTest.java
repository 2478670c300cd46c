package io.herald.server.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's packages point one way (docs/architecture.md, "The server's packages"): wiring knows everything;
 * api and console call core services and ports, and the shared admin services, never each other; http, config and
 * observability are leaves.
 * Only the wiring names the PostgreSQL engine, so another engine can replace it there alone.
 */
class ServerArchitectureTest {

    private static final String SERVER = "io.herald.server";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(SERVER);

    /**
     * Classes that still use a PostgreSQL class directly, each until a core port replaces it. The list may only
     * shrink: take a class off when it is moved to a port, never add one.
     */
    private static final Set<String> STILL_ON_POSTGRES = Set.of(); // empty since the engagement, console and inbox ports

    @Test
    void serverPackagesAreFreeOfCycles() {
        slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheWiringUsesThePostgresEngine() {
        noClasses().that().resideOutsideOfPackage(SERVER + ".wiring..").and(DescribedPredicate.not(listedIn(STILL_ON_POSTGRES)))
                .should().dependOnClassesThat().resideInAPackage("io.herald.postgres..")
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

    /** A class named in {@code names} (relative to io.herald.server), or one nested in it. */
    private static DescribedPredicate<JavaClass> listedIn(Set<String> names) {
        return DescribedPredicate.describe("listed as still on PostgreSQL", c -> {
            String top = c.getName().contains("$") ? c.getName().substring(0, c.getName().indexOf('$')) : c.getName();
            return top.startsWith(SERVER + ".") && names.contains(top.substring(SERVER.length() + 1));
        });
    }
}
