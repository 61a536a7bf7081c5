package io.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs here, so the deployment recipe in docker/ is checked for what can go
 * stale: the files it copies, the ports it opens and the configuration variables it sets.
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    /** Every port a node listens on by default (turn.port's default -1 stands for TURN's standard port). */
    private static Set<Integer> defaultPorts() {
        Set<Integer> ports = NodeConfig.KEYS.stream().filter(k -> k.type() == ConfigKey.Type.INT && k.name().endsWith("port"))
                .map(k -> (Integer) k.defaultValue()).collect(Collectors.toSet());
        ports.add(io.parley.turn.TurnConfig.DEFAULT_PORT);
        return ports;
    }

    @Test
    void theImageCopiesWhatTheNodeBuildProduces() throws IOException {
        String pom = read("node/pom.xml");
        assertThat(pom).contains("<finalName>parley-node</finalName>").contains("${project.build.directory}/lib");
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(read("docker/Dockerfile"));
        List<String> sources = new java.util.ArrayList<>();
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        assertThat(sources).containsExactlyInAnyOrder("node/target/lib/", "node/target/parley-node.jar",
                "web-client/target/classes/" + WebAppRoutes.CLASSPATH_ROOT + "/");
        // The web client's build writes where the image copies from and the node reads.
        assertThat(read("web-client/vite.config.ts")).contains("outDir: 'target/classes/" + WebAppRoutes.CLASSPATH_ROOT + "'");
        assertThat(read("docker/Dockerfile")).contains("io.parley.node.Main");
        assertThat(ROOT.resolve("node/src/main/java/io/parley/node/Main.java")).exists();
    }

    @Test
    void theImageExposesOnlyPortsTheNodeListensOn() throws IOException {
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(read("docker/Dockerfile"));
        assertThat(expose.find()).isTrue();
        for (String port : expose.group(1).trim().split("\\s+")) {
            assertThat(defaultPorts()).as("EXPOSE " + port).contains(Integer.parseInt(port.replaceAll("/.*", "")));
        }
    }

    @Test
    void theComposeFileSetsOnlyKnownVariablesAndPublishesNodePorts() throws IOException {
        String compose = read("docker/compose.yml");
        Set<String> known = NodeConfig.KEYS.stream().map(ConfigKey::environmentVariable).collect(Collectors.toSet());
        Matcher variable = Pattern.compile("(PARLEY_[A-Z_]+):").matcher(compose);
        int variables = 0;
        while (variable.find()) {
            assertThat(known).as(variable.group(1)).contains(variable.group(1));
            variables++;
        }
        assertThat(variables).isGreaterThan(5);
        Matcher published = Pattern.compile("\"(\\d+):(\\d+)(/\\w+)?\"").matcher(compose);
        while (published.find()) {
            assertThat(defaultPorts()).as("container port " + published.group(2)).contains(Integer.parseInt(published.group(2)));
        }
        assertThat(compose).contains("dockerfile: docker/Dockerfile").contains("context: ..");
        assertThat(compose.split("\n")).filteredOn(l -> l.matches("    hostname: parley\\d")).hasSize(3);
    }
}
