package dev.berth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The client and the runtime stand apart from the server: they never import it, never touch
 * Spring (they must answer as fast as a CLI should), and the shared model stays free of both.
 */
class RuntimeDependencyRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth");

    @Test
    void clientAndRuntimeNeverUseTheRegistry() {
        noClasses().that().resideInAnyPackage("dev.berth.client..", "dev.berth.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.registry..", "dev.berth.cli..")
                .check(MAIN);
    }

    @Test
    void clientRuntimeAndOciNeverUseSpring() {
        noClasses().that().resideInAnyPackage("dev.berth.client..", "dev.berth.runtime..", "dev.berth.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..")
                .check(MAIN);
    }

    @Test
    void theClientKnowsNothingOfTheRuntime() {
        noClasses().that().resideInAPackage("dev.berth.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.runtime..")
                .check(MAIN);
    }

    @Test
    void ociDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.berth.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.client..", "dev.berth.runtime..",
                        "dev.berth.registry..", "dev.berth.cli..")
                .check(MAIN);
    }
}
