package io.parley.client.cli;

import io.parley.client.AccountsApi;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.parley.proto.ResolveUserRequest;
import io.parley.proto.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./parley client --server URL[,URL...] --state DIR COMMAND}: the command-line client. Server refusals
 * print "error CODE: message" and exit 1; usage errors exit 2.
 */
@Command(name = "parley client", mixinStandardHelpOptions = true,
        subcommands = {AccountCommands.Register.class, AccountCommands.LinkCode.class, AccountCommands.Link.class,
                AccountCommands.Whoami.class, AccountCommands.Devices.class, PeopleCommands.Contacts.class,
                PeopleCommands.Block.class, PeopleCommands.Unblock.class,
                MessagingCommands.Send.class, MessagingCommands.Receive.class, MessagingCommands.Read.class,
                MessagingCommands.PresenceOf.class, MessagingCommands.Typing.class,
                SignalCommands.SafetyNumber.class,
                GroupCommands.Groups.class, BroadcastCommands.Broadcast.class,
                CallCommands.Call.class, CallCommands.Answer.class, CallCommands.History.class,
                StatusCommands.Status.class,
                BackupCommands.Backup.class, BackupCommands.Restore.class, BackupCommands.History.class,
                BackupCommands.Settings.class},
        description = "Parley's command-line client; state (this device's credentials) lives in --state.")
public final class ClientMain {
    static final int REFUSED = 1;
    private static final long TIMEOUT_SECONDS = 30;

    @Option(names = "--server", defaultValue = "http://localhost:8080", split = ",",
            description = "server URL, or several nodes of one cluster separated by commas: the first that "
                    + "answers is used (default ${DEFAULT-VALUE})")
    java.util.List<String> servers;

    @Option(names = "--state", required = true, description = "state folder of this device")
    Path state;

    @Option(names = "--json", description = "print results as JSON lines")
    boolean json;

    final Vertx vertx = Vertx.vertx();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command and returns its exit code; output goes to the given writers. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        ClientMain main = new ClientMain();
        main.out = out;
        main.err = err;
        CommandLine cli = new CommandLine(main).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                    if (cause instanceof ParleyException p) {
                        err.println("error " + p.code() + ": " + p.error().getMessage());
                    } else {
                        err.println("error: " + cause.getMessage());
                    }
                    return REFUSED;
                });
        try {
            return cli.execute(args);
        } finally {
            main.vertx.close();
        }
    }

    /** The nodes to connect to, in the order given. */
    java.util.List<ServerAddress> addresses() {
        return servers.stream().map(ServerAddress::parse).toList();
    }

    /** HTTP requests (registration, linking) go to the first node given. */
    AccountsApi accounts() {
        return new AccountsApi(vertx, addresses().get(0));
    }

    State stateFolder() {
        return new State(state);
    }

    /** Connects as this state folder's device. */
    ParleyClient connect() throws Exception {
        DeviceCredentials credentials = stateFolder().credentials().orElseThrow(() -> new IllegalStateException(
                "no account in " + state + ": register or link first"));
        return await(ParleyClient.create(vertx, addresses(), credentials).connect());
    }

    Response request(ParleyClient client, Request.Builder request) throws Exception {
        return await(client.send(request));
    }

    /** A user id from a username or a +E164 phone number. */
    com.google.protobuf.ByteString resolve(ParleyClient client, String user) throws Exception {
        ResolveUserRequest.Builder who = ResolveUserRequest.newBuilder();
        if (user.startsWith("+")) {
            who.setPhone(user);
        } else {
            who.setUsername(user);
        }
        return request(client, Request.newBuilder().setResolveUser(who)).getResolveUser().getUserId();
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Base of every command: access to the root options. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        ClientMain main;
    }
}
