package io.parley.node;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Verticles are independent: no module under verticles/ uses another verticle's classes. */
class ArchitectureTest {
    @Test
    void noVerticleDependsOnAnotherVerticle() throws IOException {
        List<String> verticles = verticleModules();
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.parley");

        slices().assignedFrom(new VerticleSlices(verticles)).should().notDependOnEachOther()
                .allowEmptyShould(verticles.size() < 2)
                .check(classes);
    }

    /** The verticle modules are the folders under verticles/; each one's package is io.parley.<folder>. */
    private static List<String> verticleModules() throws IOException {
        Path root = Path.of("..", "verticles");
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(p -> Files.exists(p.resolve("pom.xml")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private record VerticleSlices(List<String> verticles) implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            for (String verticle : verticles) {
                if (javaClass.getPackageName().startsWith("io.parley." + verticle)) {
                    return SliceIdentifier.of(verticle);
                }
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "verticle modules " + verticles;
        }
    }
}
