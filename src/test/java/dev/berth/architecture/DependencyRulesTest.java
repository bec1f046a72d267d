package dev.berth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.berth.oci.Digest;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
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
    void theBuilderStandsOnTheRuntimeSideAndNothingBelowItUsesIt() {
        // build/ may use oci, content, layer, runtime and client (the CLI uses it: berth build); the server, the CLI and Spring are out of its reach.
        noClasses().that().resideInAPackage("dev.berth.build..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.registry..", "dev.berth.cli..",
                        "org.springframework..", "jakarta.persistence..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.berth.registry..", "dev.berth.oci..", "dev.berth.content..",
                        "dev.berth.layer..", "dev.berth.runtime..", "dev.berth.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.build..")
                .check(CLASSES);
    }

    @Test
    void theWebUiReadsBlobsOnlyThroughTheRepositoryLinkCheck() {
        // The store holds every repository's blobs; registry.repository.LinkedBlobs opens one only for a repository that links it.
        noClasses().that().resideInAPackage("dev.berth.registry.ui..")
                .should().dependOnClassesThat().areAssignableTo(dev.berth.content.ContentStore.class)
                .check(CLASSES);
    }

    @Test
    void theServerNeverReachesIntoTheRuntimeClientOrCli() {
        noClasses().that().resideInAPackage("dev.berth.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.runtime..", "dev.berth.cli..")
                .check(CLASSES);
        // The pull-through cache is a client of its upstreams; nothing else of the server is.
        noClasses().that().resideInAPackage("dev.berth.registry..").and().resideOutsideOfPackage("dev.berth.registry.proxy..")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.client..")
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
    void onlyServeAndTheOfflineAdminCommandsStartSpring() {
        noClasses().that().resideInAPackage("dev.berth.cli..").and().doNotHaveSimpleName("ServeCommand")
                .and().doNotHaveSimpleName("ResetPasswordCommand").and().doNotHaveSimpleName("FsckCommand")
                .and().doNotHaveSimpleName("GcCommand")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.berth.registry..")
                .check(CLASSES);
    }

    @Test
    void theContentStoreDependsOnlyOnTheSharedModel() {
        classes().that().resideInAPackage("dev.berth.content..").and().resideOutsideOfPackage("dev.berth.content.s3..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.content..", "dev.berth.oci..", "java..")
                .check(CLASSES);
        // The S3 store adds the AWS SDK, and it alone uses it.
        classes().that().resideInAPackage("dev.berth.content.s3..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.berth.content..", "dev.berth.oci..", "java..",
                        "software.amazon.awssdk..")
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackage("dev.berth.content.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .check(CLASSES);
    }

    /**
     * Hashing bytes and then renaming a file atomically is the content store's commit: a class
     * elsewhere that does both is a second blob writer (other atomic renames, of records and key
     * files, hash nothing).
     */
    @Test
    void onlyTheContentStoreRenamesHashedBytesIntoPlace() {
        noClasses().that().resideOutsideOfPackage("dev.berth.content..")
                .should(hashAndRenameAtomically())
                .check(CLASSES);
    }

    private static ArchCondition<JavaClass> hashAndRenameAtomically() {
        return new ArchCondition<>("hash bytes and rename a file atomically") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean renames = type.getFieldAccessesFromSelf().stream().anyMatch(access ->
                        access.getTargetOwner().isEquivalentTo(StandardCopyOption.class) && access.getName().equals("ATOMIC_MOVE"));
                boolean hashes = type.getMethodCallsFromSelf().stream().anyMatch(call ->
                        call.getTargetOwner().isEquivalentTo(MessageDigest.class) && call.getName().equals("digest")
                                || call.getTargetOwner().isEquivalentTo(Digest.class) && call.getName().equals("fromHash"));
                events.add(new SimpleConditionEvent(type, renames && hashes, type.getName() + " hashes bytes and renames a file atomically"));
            }
        };
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
        // Issue 13 item 1. ClosedDatabaseEviction alone is let through: it handles the pool's SQLExceptions, not tables.
        noClasses().that().resideOutsideOfPackage("dev.berth.registry.metadata..")
                .and().haveNameNotMatching("dev\\.berth\\.registry\\.ops\\.ClosedDatabaseEviction(\\$.*)?")
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
