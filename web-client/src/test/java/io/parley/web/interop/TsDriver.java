// Runs the TypeScript interop driver (web-client/interop/driver.ts) in Node and exchanges one JSON
// request and one JSON reply per line with it, so JUnit tests can drive the TypeScript protocol code.
package io.parley.web.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

final class TsDriver implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A request the TypeScript side refused, with the name of the error class it threw. */
  static final class TsFailure extends RuntimeException {
    final String errorType;

    TsFailure(String errorType, String message) {
      super(errorType + ": " + message);
      this.errorType = errorType;
    }
  }

  private final Process process;
  private final BufferedWriter requests;
  private final BufferedReader replies;
  private int nextId = 1;

  private TsDriver(Process process) {
    this.process = process;
    this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts `node --import tsx interop/driver.ts` in the web-client folder and waits until it is ready. */
  static TsDriver start() {
    Path webClient = Path.of(System.getProperty("webClient.dir", ".")).toAbsolutePath();
    try {
      Path log = webClient.resolve("target").resolve("ts-driver.log");
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder("node", "--import", "tsx", "interop/driver.ts")
          .directory(webClient.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      TsDriver driver = new TsDriver(process);
      JsonNode ready = driver.readReply();
      if (!ready.path("ok").asBoolean()) {
        throw new IllegalStateException("TypeScript driver failed to start: " + ready);
      }
      return driver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the TypeScript driver (is node on the PATH?)", e);
    }
  }

  ObjectNode request(String op) {
    ObjectNode request = JSON.createObjectNode();
    request.put("op", op);
    return request;
  }

  /** Sends a request and returns its result; a refusal becomes a TsFailure. */
  JsonNode call(ObjectNode request) {
    int id = nextId++;
    request.put("id", id);
    try {
      requests.write(JSON.writeValueAsString(request));
      requests.newLine();
      requests.flush();
      JsonNode reply = readReply();
      if (reply.path("id").asInt() != id) {
        throw new IllegalStateException("reply out of order: " + reply);
      }
      if (!reply.path("ok").asBoolean()) {
        throw new TsFailure(reply.path("errorType").asText(), reply.path("error").asText());
      }
      return reply.path("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode readReply() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new IllegalStateException("TypeScript driver exited; see target/ts-driver.log");
    }
    return JSON.readTree(line);
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(JsonNode node) {
    return Base64.getDecoder().decode(node.asText());
  }

  static ArrayNode array(List<String> values) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  static ObjectNode address(String name, int deviceId) {
    ObjectNode address = JSON.createObjectNode();
    address.put("name", name);
    address.put("deviceId", deviceId);
    return address;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      requests.close();
    } catch (IOException ignored) {
      // The process may already be gone; it is destroyed below either way.
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
