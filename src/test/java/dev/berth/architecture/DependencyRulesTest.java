package dev.berth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled classes. */
class DependencyRulesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth");

    @Test
    void theSharedModelDependsOnNothingOfOursNorOnSpring() {
        noClasses().that().resideInAPackage("dev.berth.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.registry..", "dev.berth.runtime..",
                        "dev.berth.client..", "dev.berth.cli..", "org.springframework..", "jakarta.persistence..")
                .check(CLASSES);
    }

    @Test
    void theLayerReaderDependsOnTheSharedModelOnly() {
        classes().that().resideInAPackage("dev.berth.layer..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.layer..", "dev.berth.oci..", "java..",
                        "org.apache.commons.compress..", "com.github.luben.zstd..")
                .check(CLASSES);
    }

    @Test
    void onlyTheLayerReaderReadsTarsOrDecompresses() {
        // One reader, so that no second one drifts from its formats, whiteouts or entry-path policy.
        noClasses().that().resideOutsideOfPackage("dev.berth.layer..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.commons.compress.archivers.tar..",
                        "org.apache.commons.compress.compressors..", "com.github.luben.zstd..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.zip.GZIPInputStream")
                .check(CLASSES);
    }

    @Test
    void theServerNeverReachesIntoTheRuntimeClientOrCli() {
        noClasses().that().resideInAPackage("dev.berth.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.runtime..", "dev.berth.client..", "dev.berth.cli..")
                .check(CLASSES);
    }

    @Test
    void theRuntimeAndClientNeverReachIntoTheServerNorSpring() {
        noClasses().that().resideInAnyPackage("dev.berth.runtime..", "dev.berth.client..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.registry..", "dev.berth.cli..", "org.springframework..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void onlyServeAndTheOfflineAdminCommandStartSpring() {
        noClasses().that().resideInAPackage("dev.berth.cli..").and().doNotHaveSimpleName("ServeCommand")
                .and().doNotHaveSimpleName("ResetPasswordCommand")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.berth.registry..")
                .check(CLASSES);
    }
}
