package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.Calls;
import io.parley.client.ParleyClient;
import io.parley.proto.CallEvent;
import io.parley.proto.CallOffered;
import io.parley.proto.CallRecord;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Calls from the command line: signalling only (ringing, answer, hang-up, history). Media is the
 * apps' WebRTC; this client carries no audio or video.
 */
final class CallCommands {
    private static final int MAX_SECONDS = 3600;

    private CallCommands() {
    }

    /** Call events as they arrive, for the command's own thread to wait on with a deadline. */
    private static final class Events {
        private final LinkedBlockingQueue<CallEvent> queue = new LinkedBlockingQueue<>();

        void add(CallEvent event) {
            queue.add(event);
        }

        /** The next event of this call (any call if null) that matches, or null at the deadline. */
        CallEvent next(UUID call, Predicate<CallEvent> wanted, long deadlineNanos) throws InterruptedException {
            while (true) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                CallEvent e = queue.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && (call == null || Calls.id(e.getCallId()).equals(call)) && wanted.test(e)) {
                    return e;
                }
            }
        }
    }

    private static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    private static void check(Object command, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(command), message);
        }
    }

    private static void print(ClientMain main, JsonObject line, String text) {
        main.out.println(main.json ? line.encode() : text);
    }

    /** After an answer: waits for the other side to hang up, or hangs up after {@code talkSeconds} (0: waits). */
    private static void stayInCall(ClientMain main, Calls calls, Events events, UUID call, int talkSeconds)
            throws Exception {
        long began = System.nanoTime();
        CallEvent ended = events.next(call, e -> e.getKind() == CallEvent.Kind.ENDED,
                deadline(talkSeconds == 0 ? MAX_SECONDS : talkSeconds));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
        if (ended != null) {
            print(main, new JsonObject().put("event", "ended").put("callId", call.toString())
                    .put("outcome", ended.getOutcome().name().toLowerCase()).put("seconds", seconds),
                    "ended by the other side after " + seconds + " s");
            return;
        }
        ClientMain.await(calls.hangUp(call));
        print(main, new JsonObject().put("event", "hung-up").put("callId", call.toString()).put("seconds", seconds),
                "hung up after " + seconds + " s");
    }

    @Command(name = "call", description = "call USER: rings every device of USER and prints what happens "
            + "(signalling only: media is WebRTC in the apps)")
    static final class Call extends ClientMain.Sub {
        @Parameters(index = "0", description = "username or +E164 phone number")
        String user;

        @Option(names = "--video", description = "a video call")
        boolean video;

        @Option(names = "--wait", defaultValue = "60", description = "seconds to wait for an answer (default ${DEFAULT-VALUE})")
        int waitSeconds;

        @Option(names = "--hang-up-after", defaultValue = "0",
                description = "seconds in the call before hanging up; 0: until the other side hangs up")
        int talkSeconds;

        @Override
        public Integer call() throws Exception {
            check(this, waitSeconds >= 1 && waitSeconds <= MAX_SECONDS && talkSeconds >= 0 && talkSeconds <= MAX_SECONDS,
                    "--wait must be 1.." + MAX_SECONDS + " and --hang-up-after 0.." + MAX_SECONDS);
            ParleyClient client = main.connect();
            Events events = new Events();
            Calls calls = new Calls(client).onEvent(events::add);
            UUID callee = Ids.uuid(main.resolve(client, user), "user_id");
            CallOffered offered = ClientMain.await(calls.offer(callee, video));
            UUID call = Calls.id(offered.getCallId());
            JsonObject line = new JsonObject().put("callId", call.toString()).put("to", callee.toString());
            if (offered.getBusy()) {
                print(main, line.put("event", "busy"), user + " is busy");
                return 0;
            }
            print(main, line.copy().put("event", "calling").put("devicesRung", offered.getDevicesRung())
                    .put("ringUntil", Instant.ofEpochMilli(offered.getRingUntilMs()).toString()),
                    offered.getDevicesRung() > 0 ? "ringing " + offered.getDevicesRung() + " devices of " + user
                            : user + " has no device online; it rings if one connects before "
                                    + Instant.ofEpochMilli(offered.getRingUntilMs()));
            CallEvent answer = events.next(call, e -> e.getKind() == CallEvent.Kind.ACCEPTED
                    || e.getKind() == CallEvent.Kind.ENDED, deadline(waitSeconds));
            if (answer == null) {
                ClientMain.await(calls.hangUp(call));
                print(main, line.put("event", "no-answer"), "no answer");
                return 0;
            }
            if (answer.getKind() == CallEvent.Kind.ENDED) {
                print(main, line.put("event", "ended").put("outcome", answer.getOutcome().name().toLowerCase()),
                        "not answered: " + answer.getOutcome().name().toLowerCase());
                return 0;
            }
            print(main, line.put("event", "answered").put("device", answer.getByDevice()),
                    "answered on device " + answer.getByDevice());
            stayInCall(main, calls, events, call, talkSeconds);
            return 0;
        }
    }

    @Command(name = "answer", description = "answer: waits for a call to this device, accepts (or --reject) it")
    static final class Answer extends ClientMain.Sub {
        @Option(names = "--wait", defaultValue = "60", description = "seconds to wait for a call (default ${DEFAULT-VALUE})")
        int waitSeconds;

        @Option(names = "--reject", description = "decline the call instead")
        boolean reject;

        @Option(names = "--hang-up-after", defaultValue = "0",
                description = "seconds in the call before hanging up; 0: until the other side hangs up")
        int talkSeconds;

        @Override
        public Integer call() throws Exception {
            check(this, waitSeconds >= 1 && waitSeconds <= MAX_SECONDS && talkSeconds >= 0 && talkSeconds <= MAX_SECONDS,
                    "--wait must be 1.." + MAX_SECONDS + " and --hang-up-after 0.." + MAX_SECONDS);
            DeviceCredentials credentials = main.stateFolder().credentials().orElseThrow(() -> new IllegalStateException(
                    "no account in " + main.state + ": register or link first"));
            // Listening before connecting: a call ringing already rings this device as it connects.
            ParleyClient client = ParleyClient.create(main.vertx, main.addresses(), credentials);
            Events events = new Events();
            Calls calls = new Calls(client).onEvent(events::add);
            ClientMain.await(client.connect());
            CallEvent ring = events.next(null, e -> e.getKind() == CallEvent.Kind.INCOMING && !e.getGroup(),
                    deadline(waitSeconds));
            if (ring == null) {
                print(main, new JsonObject().put("event", "no-call"), "no call");
                return 0;
            }
            UUID call = Calls.id(ring.getCallId());
            String from = Ids.uuid(ring.getCaller(), "caller").toString();
            JsonObject line = new JsonObject().put("callId", call.toString()).put("from", from).put("video", ring.getVideo());
            if (reject) {
                ClientMain.await(calls.reject(call));
                print(main, line.put("event", "rejected"), "rejected a call from " + from);
                return 0;
            }
            ClientMain.await(calls.accept(call));
            print(main, line.put("event", "answered"), "answered a " + (ring.getVideo() ? "video" : "voice")
                    + " call from " + from);
            stayInCall(main, calls, events, call, talkSeconds);
            return 0;
        }
    }

    @Command(name = "call-history", description = "this account's calls, newest first")
    static final class History extends ClientMain.Sub {
        @Option(names = "--limit", defaultValue = "20", description = "how many (1..100, default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            check(this, limit >= 1 && limit <= 100, "--limit must be 1..100");
            ParleyClient client = main.connect();
            for (CallRecord r : ClientMain.await(new Calls(client).history(limit, 0)).getCallsList()) {
                String peer = Ids.uuid(r.getPeerUser(), "peer_user").toString();
                String outcome = r.getOutcome().name().toLowerCase();
                String when = Instant.ofEpochMilli(r.getStartedAtMs()).toString();
                print(main, new JsonObject().put("callId", Calls.id(r.getCallId()).toString()).put("peer", peer)
                        .put("outgoing", r.getOutgoing()).put("video", r.getVideo()).put("group", r.getGroup())
                        .put("startedAt", when).put("durationMs", r.getDurationMs()).put("outcome", outcome),
                        when + "  " + (r.getOutgoing() ? "outgoing" : "incoming") + (r.getGroup() ? " group" : "")
                                + (r.getVideo() ? " video" : " voice") + "  " + peer + "  " + outcome + "  "
                                + r.getDurationMs() / 1000 + " s");
            }
            return 0;
        }
    }
}
