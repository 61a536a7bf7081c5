package io.parley.client.cli;

import io.parley.client.ParleyClient;
import io.parley.proto.CreateLinkCodeRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.DeviceInfo;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.ListDevicesRequest;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RemoveDeviceRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Registration, linking, whoami and the device list. */
final class AccountCommands {
    private AccountCommands() {
    }

    @Command(name = "register", description = "register by username or phone: without --code a code is sent; "
            + "run again with --code to finish")
    static final class Register extends ClientMain.Sub {
        @Option(names = "--username")
        String username;

        @Option(names = "--phone")
        String phone;

        @Option(names = "--code")
        String code;

        @Option(names = "--device-name", defaultValue = "cli")
        String deviceName;

        @Override
        public Integer call() throws Exception {
            if ((username == null) == (phone == null)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "give exactly one of --username and --phone");
            }
            if (code == null) {
                RequestCodeRequest.Builder request = RequestCodeRequest.newBuilder();
                if (username != null) {
                    request.setUsername(username);
                } else {
                    request.setPhone(phone);
                }
                ClientMain.await(main.accounts().requestCode(request.build()));
                main.out.println("verification code sent (on a dev node: see the node's log); finish with: register "
                        + (username != null ? "--username " + username : "--phone " + phone) + " --code CODE");
                return 0;
            }
            RegisterRequest.Builder request = RegisterRequest.newBuilder().setCode(code).setDeviceName(deviceName);
            if (username != null) {
                request.setUsername(username);
            } else {
                request.setPhone(phone);
            }
            DeviceCredentials credentials = ClientMain.await(main.accounts().register(request.build()));
            main.stateFolder().save(String.join(",", main.servers), username != null ? username.toLowerCase() : phone, credentials);
            print(main, "registered", credentials);
            SignalCommands.publish(main);
            return 0;
        }
    }

    @Command(name = "link-code", description = "on the primary: print a provisioning code for a new device")
    static final class LinkCode extends ClientMain.Sub {
        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            var code = main.request(client, Request.newBuilder().setCreateLinkCode(CreateLinkCodeRequest.getDefaultInstance()))
                    .getCreateLinkCode();
            main.out.println(main.json ? new JsonObject().put("code", code.getCode()).put("expiresMs", code.getExpiresMs()).encode()
                    : code.getCode());
            return 0;
        }
    }

    @Command(name = "link", description = "on a new device: redeem the primary's provisioning code")
    static final class Link extends ClientMain.Sub {
        @Option(names = "--code", required = true)
        String code;

        @Option(names = "--device-name", defaultValue = "cli")
        String deviceName;

        @Override
        public Integer call() throws Exception {
            DeviceCredentials credentials = ClientMain.await(main.accounts().link(LinkDeviceRequest.newBuilder().setCode(code)
                    .setDeviceName(deviceName).build()));
            main.stateFolder().save(String.join(",", main.servers), "", credentials);
            print(main, "linked", credentials);
            SignalCommands.publish(main);
            return 0;
        }
    }

    @Command(name = "whoami", description = "this device's account")
    static final class Whoami extends ClientMain.Sub {
        @Override
        public Integer call() throws Exception {
            var me = main.request(main.connect(), Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance())).getWhoami();
            JsonObject json = new JsonObject().put("userId", State.id(me.getUserId())).put("username", me.getUsername())
                    .put("phone", me.getPhone()).put("deviceId", me.getDeviceId());
            main.out.println(main.json ? json.encode() : (me.getUsername().isEmpty() ? me.getPhone() : me.getUsername())
                    + " (user " + State.id(me.getUserId()) + ", device " + me.getDeviceId() + ")");
            return 0;
        }
    }

    @Command(name = "devices", description = "list this account's devices, or: devices remove ID")
    static final class Devices extends ClientMain.Sub {
        @Parameters(arity = "0..2", description = "remove ID")
        List<String> words = List.of();

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            if (!words.isEmpty()) {
                if (words.size() != 2 || !words.get(0).equals("remove") || !words.get(1).matches("[0-9]+")) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "usage: devices remove ID");
                }
                main.request(client, Request.newBuilder().setRemoveDevice(RemoveDeviceRequest.newBuilder()
                        .setDeviceId(Integer.parseInt(words.get(1)))));
                main.out.println("removed device " + words.get(1));
                return 0;
            }
            for (DeviceInfo d : main.request(client, Request.newBuilder().setListDevices(ListDevicesRequest.getDefaultInstance()))
                    .getListDevices().getDevicesList()) {
                main.out.println(main.json ? new JsonObject().put("deviceId", d.getDeviceId()).put("name", d.getName())
                        .put("primary", d.getPrimary()).encode()
                        : d.getDeviceId() + "  " + d.getName() + (d.getPrimary() ? "  (primary)" : ""));
            }
            return 0;
        }
    }

    private static void print(ClientMain main, String what, DeviceCredentials credentials) {
        main.out.println(main.json ? new JsonObject().put("result", what).put("userId", State.id(credentials.getUserId()))
                .put("deviceId", credentials.getDeviceId()).encode()
                : what + ": user " + State.id(credentials.getUserId()) + ", device " + credentials.getDeviceId());
    }
}
