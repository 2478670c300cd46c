package io.herald.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** herald-core stays a plain library: packages without cycles, and nothing from a framework or a database driver. */
class CoreArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.herald.core");

    @Test
    void corePackagesAreFreeOfCycles() {
        slices().matching("io.herald.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void coreDependsOnNoFrameworkAndNoDatabase() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.springframework..", "jakarta..", "javax.sql..", "java.sql..", "org.postgresql..", "com.zaxxer..",
                "org.flywaydb..", "io.micrometer..", "tools.jackson..", "com.fasterxml.jackson..")
                .because("herald-core is the domain and pipeline; frameworks and storage belong to the other modules")
                .check(CORE);
    }

    @Test
    void coreDependsOnNoOtherHeraldModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.herald.postgres..", "io.herald.server..",
                "io.herald.providers..", "io.herald.testkit..").check(CORE);
    }
}
