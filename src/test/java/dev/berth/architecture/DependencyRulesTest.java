package dev.berth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

    @Test
    void onlyTheMetadataPackageUsesJpa() {
        // The entities own the mapping and Hibernate validates them against the Flyway schema; nobody else sees them.
        noClasses().that().resideOutsideOfPackage("dev.berth.registry.metadata..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.springframework.data..",
                        "org.hibernate..")
                .check(CLASSES);
    }

    @Test
    void onlyTheMetadataPackageRunsSql() {
        // Issue 13 item 1: these classes still hold SQL and are to move into registry.metadata; the list may
        // only shrink. ClosedDatabaseEviction stays: it handles the pool's SQLExceptions, not tables.
        noClasses().that().resideOutsideOfPackage("dev.berth.registry.metadata..")
                .and().haveNameNotMatching("dev\\.berth\\.registry\\.(ops\\.ClosedDatabaseEviction|repository\\.RepositoryStats"
                        + "|repository\\.CatalogPages|ui\\.Catalog|ui\\.RepositoryQueries|ui\\.RepositoryAccess)(\\$.*)?")
                .and().resideOutsideOfPackage("dev.berth.registry.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void theWebUiNeverSeesEntitiesNorSpringDataRepositories() {
        noClasses().that().resideInAPackage("dev.berth.registry.ui..")
                .should().dependOnClassesThat().areAnnotatedWith("jakarta.persistence.Entity")
                .orShould().dependOnClassesThat().areAssignableTo("org.springframework.data.repository.Repository")
                .check(CLASSES);
    }

    @Test
    void theRegistryPackagesHaveNoCycles() {
        slices().matching("dev.berth.registry.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
