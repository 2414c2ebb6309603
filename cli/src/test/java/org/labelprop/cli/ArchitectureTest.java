package org.labelprop.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The layering that docs/architecture.md describes, checked on the production classes of core, cpu, cuda,
 * bench and cli (this module's test class path holds them all). A violation fails the build with the offending
 * dependency named.
 */
class ArchitectureTest {
    private static final String CORE = "org.labelprop.core";
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
            .importPackages("org.labelprop");

    @Test
    void theRulesSeeEveryModulesProductionClassesAndNoTests() {
        for (String c : new String[] {"org.labelprop.core.search.KnnGraph", "org.labelprop.cpu.VectorKernels",
            "org.labelprop.cuda.CudaBackend", "org.labelprop.bench.ScenarioRunner", "org.labelprop.cli.Main"}) {
            assertTrue(PRODUCTION.contain(c), c + " was not imported: the rules would pass on nothing");
        }
        assertFalse(PRODUCTION.contain(ArchitectureTest.class.getName()));
        assertFalse(PRODUCTION.contain("org.labelprop.core.testing.NaiveKnn"));
    }

    @Test
    void corePackagesFormNoCycle() {
        slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void coreRootPackageHoldsOnlyTheVocabulary() {
        // FloatMatrix, the exceptions, Progress, Memory: every other package may use them, they use none.
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAPackage(CORE + ".*..")
                .check(PRODUCTION);
    }

    @Test
    void valueTypesAndTheBackendContractSitBelowTheAlgorithms() {
        String[] above = {CORE + ".search..", CORE + ".features..", CORE + ".algo..", CORE + ".model..",
            CORE + ".data.."};
        noClasses().that().resideInAPackage(CORE + ".graph..")
                .should().dependOnClassesThat().resideInAnyPackage(CORE + ".backend..")
                .check(PRODUCTION);
        noClasses().that().resideInAnyPackage(CORE + ".graph..", CORE + ".backend..")
                .should().dependOnClassesThat().resideInAnyPackage(above)
                .check(PRODUCTION);
    }

    @Test
    void coreNamesNoBackendModuleNorFrontEnd() {
        noClasses().that().resideInAPackage(CORE + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.labelprop.cpu..", "org.labelprop.cuda..",
                        "org.labelprop.cli..", "org.labelprop.bench..")
                .check(PRODUCTION);
    }

    @Test
    void theBenchmarksSitBelowTheCommandLine() {
        noClasses().that().resideInAPackage("org.labelprop.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.labelprop.cli..")
                .check(PRODUCTION);
    }

    @Test
    void onlyTheCpuModuleTouchesTheVectorApi() {
        noClasses().that().resideOutsideOfPackage("org.labelprop.cpu..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .check(PRODUCTION);
        // Within it, one class, loaded by name after the provider checked that the module is there.
        noClasses().that().resideInAPackage("org.labelprop.cpu..").and().doNotHaveSimpleName("VectorKernels")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .check(PRODUCTION);
    }

    @Test
    void onlyTheCudaModuleTouchesJcuda() {
        noClasses().that().resideOutsideOfPackage("org.labelprop.cuda..")
                .should().dependOnClassesThat().resideInAPackage("jcuda..")
                .check(PRODUCTION);
    }

    @Test
    void cublasIsReachedOnlyThroughItsSeam() {
        // Two bindings serve CUDA 12 and 13 hosts; a direct JCublas2 call elsewhere would bypass the JNA one.
        noClasses().that().doNotHaveFullyQualifiedName("org.labelprop.cuda.JcublasBinding")
                .should().dependOnClassesThat().resideInAPackage("jcuda.jcublas..")
                .check(PRODUCTION);
        noClasses().that().resideOutsideOfPackage("org.labelprop.cuda..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .check(PRODUCTION);
    }

    @Test
    void theReferenceBackendIsReachedOnlyThroughTheBackendInterface() {
        DescribedPredicate<JavaClass> referenceBackend = new DescribedPredicate<>("the reference backend itself") {
            @Override
            public boolean test(JavaClass c) {
                return c.getName().startsWith(CORE + ".backend.ReferenceBackend");
            }
        };
        noClasses().that(DescribedPredicate.not(referenceBackend))
                .should().dependOnClassesThat().haveFullyQualifiedName(CORE + ".backend.ReferenceBackend")
                .check(PRODUCTION);
    }
}
