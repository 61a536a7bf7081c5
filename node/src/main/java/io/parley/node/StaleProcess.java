package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an embedded server left running by a node that died without stopping it (SIGKILL), found
 * through the pid file the server wrote into the data folder. Only a live process whose command
 * names the expected program is stopped.
 */
final class StaleProcess {
    private static final Logger LOG = LoggerFactory.getLogger(StaleProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(15);

    private StaleProcess() {
    }

    static void stopIfRunning(Path pidFile, String program, String signal) {
        pidOf(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains(program)).orElse(false))
                .ifPresent(process -> stop(process, program, signal));
    }

    private static Optional<Long> pidOf(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            return first.matches("[0-9]+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void stop(ProcessHandle process, String program, String signal) {
        LOG.warn("stopping {} (pid {}) left running by a node that did not shut down", program, process.pid());
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            process.onExit().get(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
