package io.parley.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./parley admin}: the operator's commands against a running node's admin API, with the
 * token from the node's data folder (or --token-file). Prints tables, or the JSON with --json.
 * Exit codes: 0 done, 1 the node refused or is unreachable, 2 a usage error.
 */
public final class AdminMain {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String USAGE = """
            usage: parley admin [--server URL] [--data DIR | --token-file FILE] [--json] COMMAND
              users [--after USER_ID] [--limit N]   accounts, in user id order (default 100)
              devices USER                         an account's devices and whether each is connected
              inbox [USER] [--limit N]             envelopes waiting: a user's devices, or the deepest inboxes
              disable USER                         disconnect the account's devices and refuse them (403)
              enable USER                          let a disabled account in again
            USER is a user id or a username; --server defaults to http://localhost:8080 and the token
            to DATA/admin-token (DATA: --data, default ./data).""";

    private AdminMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line, printing to these streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String server = "http://localhost:8080";
        Path tokenFile = Path.of("data", AdminToken.FILE);
        boolean json = false;
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--server" -> server = value(args, ++i);
                    case "--data" -> tokenFile = Path.of(value(args, ++i), AdminToken.FILE);
                    case "--token-file" -> tokenFile = Path.of(value(args, ++i));
                    case "--json" -> json = true;
                    case "help", "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> rest.add(args[i]);
                }
            }
            String path = path(rest);
            String token = Files.readString(tokenFile).strip();
            boolean post = rest.get(0).equals("disable") || rest.get(0).equals("enable");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token);
            request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject body = new JsonObject(response.body());
            if (response.statusCode() != 200) {
                err.println("error " + response.statusCode() + ": " + body.getString("message"));
                return EXIT_FAILED;
            }
            out.print(json ? body.encode() + "\n" : table(rest.get(0), body));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("parley admin: " + e.getMessage() + "\n" + USAGE);
            return EXIT_USAGE;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("parley admin: no admin token at " + e.getFile()
                    + " (start the node once, or pass --data DIR or --token-file FILE)");
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("parley admin: cannot reach " + server + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
    }

    /** The API path of a command line; IllegalArgumentException for a usage error. */
    static String path(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a command is required");
        }
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        String limit = option(args, "--limit");
        String after = option(args, "--after");
        String query = (limit == null ? "" : "&limit=" + encode(limit)) + (after == null ? "" : "&after=" + encode(after));
        return switch (words.get(0)) {
            case "users" -> {
                none(args);
                yield "/v1/admin/users?" + query;
            }
            case "devices" -> "/v1/admin/users/" + encode(one(args)) + "/devices";
            case "disable" -> "/v1/admin/users/" + encode(one(args)) + "/disable";
            case "enable" -> "/v1/admin/users/" + encode(one(args)) + "/enable";
            case "inbox" -> {
                if (args.size() > 1) {
                    throw new IllegalArgumentException("inbox takes at most one user");
                }
                yield "/v1/admin/inbox-depths?" + (args.isEmpty() ? "" : "user=" + encode(args.get(0))) + query;
            }
            default -> throw new IllegalArgumentException("unknown command '" + words.get(0) + "'");
        };
    }

    private static String table(String command, JsonObject body) {
        StringBuilder out = new StringBuilder();
        switch (command) {
            case "users" -> body.getJsonArray("users").forEach(o -> {
                JsonObject u = (JsonObject) o;
                out.append(String.format("%s  %-24s %-16s devices %d%s  since %s%n", u.getString("userId"),
                        u.getString("username").isEmpty() ? "-" : u.getString("username"),
                        u.getString("phone").isEmpty() ? "-" : u.getString("phone"), u.getInteger("devices"),
                        u.getBoolean("disabled") ? "  DISABLED" : "", Instant.ofEpochMilli(u.getLong("createdMs"))));
            });
            case "devices" -> body.getJsonArray("devices").forEach(o -> {
                JsonObject d = (JsonObject) o;
                out.append(String.format("%3d  %-20s %s  since %s%n", d.getInteger("deviceId"), d.getString("name"),
                        d.getBoolean("connected") ? "connected" : "offline  ", Instant.ofEpochMilli(d.getLong("createdMs"))));
            });
            case "inbox" -> {
                JsonArray devices = body.getJsonArray("devices");
                devices.forEach(o -> {
                    JsonObject d = (JsonObject) o;
                    out.append(String.format("%s/%d  %d%n", d.getString("userId"), d.getInteger("deviceId"),
                            d.getLong("envelopes")));
                });
                out.append("total ").append(body.getLong("total")).append(" envelopes waiting\n");
            }
            default -> out.append(body.getString("userId")).append(body.getBoolean("disabled")
                    ? " disabled; " + body.getInteger("devicesDisconnected") + " devices disconnected\n" : " enabled\n");
        }
        return out.toString();
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private static String one(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("name one user (id or username)");
        }
        return args.get(0);
    }

    private static void none(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected " + args);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
