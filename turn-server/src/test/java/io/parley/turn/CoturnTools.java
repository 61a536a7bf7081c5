package io.parley.turn;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** coturn's client tools (Debian package coturn): turnutils_peer as the far end, turnutils_uclient as the load. */
final class CoturnTools {
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern RTT = Pattern.compile("Average round trip delay ([0-9.]+) ms");

    private CoturnTools() {
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/turnutils_uclient")) && Files.isExecutable(Path.of("/usr/bin/turnutils_peer"));
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return probe.getLocalPort();
        }
    }

    /** Starts turnutils_peer on a loopback port; the caller destroys it. */
    static Process peer(int port) throws IOException {
        return new ProcessBuilder("turnutils_peer", "-p", String.valueOf(port), "-L", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** What one uclient run reports. */
    record Report(long sent, long received, long lost, double rttMillis, int exitCode, String output) {
    }

    /** Runs turnutils_uclient with REST credentials ({@code -u}, {@code -W}) and waits at most {@code timeoutSeconds}. */
    static Report uclient(int serverPort, int peerPort, String secret, List<String> flags, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("turnutils_uclient", "-p", String.valueOf(serverPort), "-e", "127.0.0.1",
                "-r", String.valueOf(peerPort), "-u", "uclient", "-W", secret));
        command.addAll(flags);
        command.add("127.0.0.1");
        Path log = Files.createTempFile("uclient", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("turnutils_uclient did not finish within " + timeoutSeconds + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return parse(Files.readString(log, StandardCharsets.UTF_8), process.exitValue());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Report parse(String output, int exitCode) {
        long sent = -1;
        long received = -1;
        Matcher totals = TOTALS.matcher(output);
        while (totals.find()) { // the last one is the final total
            sent = Long.parseLong(totals.group(1));
            received = Long.parseLong(totals.group(2));
        }
        Matcher lost = LOST.matcher(output);
        Matcher rtt = RTT.matcher(output);
        return new Report(sent, received, lost.find() ? Long.parseLong(lost.group(1)) : -1,
                rtt.find() ? Double.parseDouble(rtt.group(1)) : -1, exitCode, output);
    }
}
