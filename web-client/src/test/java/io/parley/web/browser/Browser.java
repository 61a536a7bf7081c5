package io.parley.web.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's Chromium, headless, driven through playwright-core by the Node script
 * browser/driver.ts: one JSON request and one JSON reply per line. Each party is a browser
 * context of its own (its own IndexedDB). Every wait is an awaited condition with a deadline.
 */
final class Browser implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a loaded 2-core CI machine runs Chromium, a node and the JVM at once. */
    static final int WAIT_MS = 60_000;

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader replies;
    private int nextId = 1;

    private Browser(Process process) {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Browser launch() {
        Path webClient = webClientDir();
        try {
            Path log = webClient.resolve("target").resolve("browser-driver.log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder("node", "--import", "tsx", "browser/driver.ts")
                    .directory(webClient.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Browser browser = new Browser(process);
            JsonNode ready = browser.read();
            if (!ready.path("ok").asBoolean()) {
                throw new IllegalStateException("Chromium did not start: " + ready);
            }
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the browser driver (is node on the PATH?)", e);
        }
    }

    static Path webClientDir() {
        return Path.of(System.getProperty("webClient.dir", ".")).toAbsolutePath();
    }

    /** A new browser context (a person on their own browser) with one page open at this URL. */
    Page open(String name, String url) {
        return open(name, url, request("newContext", name));
    }

    /** As {@link #open(String, String)}, with context options: {@code permissions}, {@code initScript}. */
    Page open(String name, String url, ObjectNode newContext) {
        call(newContext.put("op", "newContext").put("name", name));
        Page page = new Page(name);
        call(request("goto", name).put("url", url));
        return page;
    }

    ObjectNode request(String op, String name) {
        ObjectNode request = JSON.createObjectNode();
        request.put("op", op);
        request.put("name", name);
        return request;
    }

    synchronized JsonNode call(ObjectNode request) {
        int id = nextId++;
        request.put("id", id);
        try {
            requests.write(JSON.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            JsonNode reply = read();
            if (reply.path("id").asInt() != id) {
                throw new IllegalStateException("reply out of order: " + reply);
            }
            if (!reply.path("ok").asBoolean()) {
                throw new AssertionError("browser: " + request.path("op").asText() + " failed: " + reply.path("error").asText()
                        + "\nconsole: " + reply.path("console"));
            }
            return reply.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read() throws IOException {
        String line = replies.readLine();
        if (line == null) {
            throw new IllegalStateException("browser driver exited; see target/browser-driver.log");
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException e) {
            // the driver closes Chromium when its input ends; it is destroyed below anyway
        }
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** One person's page: the app, driven as a person would (fill, click, wait for what shows). */
    final class Page {
        final String name;

        Page(String name) {
            this.name = name;
        }

        Page fill(String selector, String text) {
            call(request("fill", name).put("selector", selector).put("text", text));
            return this;
        }

        Page click(String selector) {
            call(request("click", name).put("selector", selector));
            return this;
        }

        Page click(String selector, String text) {
            call(request("click", name).put("selector", selector).put("text", text));
            return this;
        }

        Page select(String selector, String value) {
            call(request("select", name).put("selector", selector).put("value", value));
            return this;
        }

        Page press(String selector, String key) {
            call(request("press", name).put("selector", selector).put("key", key));
            return this;
        }

        /** Waits until an element matching the selector and containing the text is visible. */
        Page waitFor(String selector, String text) {
            ObjectNode request = request("waitFor", name).put("selector", selector).put("timeoutMs", WAIT_MS);
            if (text != null) {
                request.put("text", text);
            }
            call(request);
            return this;
        }

        /** Waits until an element matching the selector (and text, if not null) is in that state: visible, hidden, attached, detached. */
        Page waitFor(String selector, String text, String state) {
            ObjectNode request = request("waitFor", name).put("selector", selector).put("timeoutMs", WAIT_MS).put("state", state);
            if (text != null) {
                request.put("text", text);
            }
            call(request);
            return this;
        }

        Page waitFor(String selector) {
            return waitFor(selector, null);
        }

        /** Waits until the expression (a function of `arg`, as source) is truthy in the page; returns its value. */
        JsonNode waitUntil(String expression, Object arg) {
            ObjectNode request = request("waitUntil", name).put("expression", expression).put("timeoutMs", WAIT_MS);
            request.set("arg", JSON.valueToTree(arg));
            return call(request).path("value");
        }

        JsonNode evaluate(String expression, Object arg) {
            ObjectNode request = request("evaluate", name).put("expression", expression);
            request.set("arg", JSON.valueToTree(arg));
            return call(request).path("value");
        }

        List<String> texts(String selector) {
            List<String> out = new ArrayList<>();
            call(request("texts", name).put("selector", selector)).path("texts").forEach(t -> out.add(t.asText()));
            return out;
        }

        List<String> attributes(String selector, String attribute) {
            List<String> out = new ArrayList<>();
            call(request("attributes", name).put("selector", selector).put("attribute", attribute)).path("values")
                    .forEach(t -> out.add(t.asText()));
            return out;
        }

        /** Picks these files in the file input matching the selector. */
        Page setFiles(String selector, List<Path> files) {
            ObjectNode request = request("setFiles", name).put("selector", selector);
            var paths = request.putArray("paths");
            files.forEach(f -> paths.add(f.toAbsolutePath().toString()));
            call(request);
            return this;
        }

        /** The next request of this method to a path under this prefix fails as a reset connection. */
        Page failNextRequest(String method, String pathPrefix) {
            call(request("failNextRequest", name).put("method", method).put("pathPrefix", pathPrefix));
            return this;
        }

        /** The media HTTP requests ("PUT /v1/media/…") this page made so far. */
        List<String> mediaRequests() {
            List<String> out = new ArrayList<>();
            call(request("mediaRequests", name)).path("requests").forEach(t -> out.add(t.asText()));
            return out;
        }

        /** The next prompt the page opens is answered with this text. */
        Page answerNextDialog(String text) {
            call(request("answerNextDialog", name).put("text", text));
            return this;
        }

        Page reload() {
            call(request("reload", name));
            return this;
        }

        Page screenshot(Path path) {
            try {
                Files.createDirectories(path.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            call(request("screenshot", name).put("path", path.toString()));
            return this;
        }

        /** Hands this data to the page origin's service worker as a push message (DevTools protocol). */
        Page deliverPush(String data) {
            call(request("deliverPush", name).put("data", data).put("timeoutMs", WAIT_MS));
            return this;
        }

        void close() {
            call(request("closeContext", name));
        }
    }
}
