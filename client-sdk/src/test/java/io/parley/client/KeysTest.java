package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.signal.KeysApi;
import io.parley.proto.BlockRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.EcPreKey;
import io.parley.proto.KeyCounts;
import io.parley.proto.PreKeyBundle;
import io.parley.proto.PreKeyBundles;
import io.parley.proto.Push;
import io.parley.proto.RemoveDeviceRequest;
import io.parley.proto.Request;
import io.parley.proto.SignedPreKey;
import io.parley.proto.UploadKeysRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;

/** The keys verticle through real connections: uploads and their checks, bundle fetches, one-time keys, limits. */
class KeysTest {
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    /** A device that publishes keys made here, so that tests can forge and break them. */
    private static final class Publisher {
        final IdentityKeyPair identity = IdentityKeyPair.generate();
        final ParleyClient client;
        final KeysApi keys;
        final DeviceCredentials credentials;
        final List<Push> pushes = new CopyOnWriteArrayList<>();
        int nextId = 1;

        Publisher(Vertx vertx, DeviceCredentials credentials) {
            this.credentials = credentials;
            this.client = ParleyClient.create(vertx, TestNode.address(), credentials);
            client.onPush(pushes::add);
            Await.result(client.connect());
            this.keys = new KeysApi(client);
        }

        UUID user() {
            return Ids.uuid(credentials.getUserId(), "user_id");
        }

        UploadKeysRequest.Builder first(int oneTime) {
            return UploadKeysRequest.newBuilder().setIdentityKey(bytes(identity.getPublicKey().serialize()))
                    .setRegistrationId(4242).setSignedPreKey(signedEc(identity)).setLastResortKyberPreKey(kyber(identity))
                    .addAllPreKeys(ec(oneTime)).addAllKyberPreKeys(kybers(oneTime));
        }

        SignedPreKey signedEc(IdentityKeyPair signer) {
            ECKeyPair key = ECKeyPair.generate();
            return SignedPreKey.newBuilder().setKeyId(nextId++).setPublicKey(bytes(key.getPublicKey().serialize()))
                    .setSignature(bytes(signer.getPrivateKey().calculateSignature(key.getPublicKey().serialize()))).build();
        }

        SignedPreKey kyber(IdentityKeyPair signer) {
            KEMKeyPair key = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
            return SignedPreKey.newBuilder().setKeyId(nextId++).setPublicKey(bytes(key.getPublicKey().serialize()))
                    .setSignature(bytes(signer.getPrivateKey().calculateSignature(key.getPublicKey().serialize()))).build();
        }

        List<EcPreKey> ec(int n) {
            List<EcPreKey> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(EcPreKey.newBuilder().setKeyId(nextId++)
                        .setPublicKey(bytes(ECKeyPair.generate().getPublicKey().serialize())).build());
            }
            return keys;
        }

        List<SignedPreKey> kybers(int n) {
            List<SignedPreKey> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(kyber(identity));
            }
            return keys;
        }
    }

    private Publisher publisher(String name) {
        return new Publisher(vertx, Users.register(vertx, Users.uniqueName(name)));
    }

    private static ByteString bytes(byte[] bytes) {
        return ByteString.copyFrom(bytes);
    }

    private static int code(Future<?> request) {
        Throwable failure = Await.failure(request);
        assertThat(failure).isInstanceOf(ParleyException.class);
        return ((ParleyException) failure).code();
    }

    @Test
    void bundlesForAnUnknownUserAre404() {
        Publisher alice = publisher("alice");
        Throwable failure = Await.failure(alice.keys.bundles(UUID.randomUUID(), List.of()));
        assertThat(((ParleyException) failure).code()).isEqualTo(404);
        assertThat(failure.getMessage()).contains("no such user");
        assertThat(code(alice.keys.identities(UUID.randomUUID()))).isEqualTo(404);
    }

    @Test
    void aUserWithoutPublishedKeysIs404() {
        Publisher alice = publisher("alice");
        Publisher bob = publisher("bob");
        Throwable failure = Await.failure(alice.keys.bundles(bob.user(), List.of()));
        assertThat(failure.getMessage()).contains("no device with published keys");
    }

    @Test
    void forgedSignaturesAreRefusedAndNothingIsStored() {
        Publisher bob = publisher("bob");
        IdentityKeyPair mallory = IdentityKeyPair.generate();

        Throwable signed = Await.failure(bob.keys.upload(bob.first(2).setSignedPreKey(bob.signedEc(mallory)).build()));
        assertThat(((ParleyException) signed).code()).isEqualTo(400);
        assertThat(signed.getMessage()).contains("signed_pre_key has a signature that the identity key did not make");

        Throwable lastResort = Await.failure(bob.keys.upload(bob.first(2).setLastResortKyberPreKey(bob.kyber(mallory)).build()));
        assertThat(((ParleyException) lastResort).code()).isEqualTo(400);

        UploadKeysRequest.Builder oneForged = bob.first(2);
        oneForged.addKyberPreKeys(bob.kyber(mallory));
        assertThat(code(bob.keys.upload(oneForged.build()))).isEqualTo(400);

        SignedPreKey flipped = bob.signedEc(bob.identity);
        byte[] signature = flipped.getSignature().toByteArray();
        signature[10] ^= 1;
        assertThat(code(bob.keys.upload(bob.first(2).setSignedPreKey(flipped.toBuilder().setSignature(bytes(signature)))
                .build()))).isEqualTo(400);

        KeyCounts counts = Await.result(bob.keys.counts());
        assertThat(counts.getRegistered()).isFalse();
        assertThat(counts.getPreKeys()).isZero();
        assertThat(counts.getKyberPreKeys()).isZero();
    }

    @Test
    void malformedKeysAre400AndOversizedUploadsAre413() {
        Publisher bob = publisher("bob");
        assertThat(code(bob.keys.upload(bob.first(0).setIdentityKey(bytes(new byte[32])).build()))).isEqualTo(400);
        byte[] badType = bob.identity.getPublicKey().serialize();
        badType[0] = 0x07;
        assertThat(code(bob.keys.upload(bob.first(0).setIdentityKey(bytes(badType)).build()))).isEqualTo(400);
        assertThat(code(bob.keys.upload(bob.first(0).clearSignedPreKey().build()))).as("first upload lacks a part")
                .isEqualTo(400);
        assertThat(code(bob.keys.upload(bob.first(0).addPreKeys(EcPreKey.newBuilder().setKeyId(7)
                .setPublicKey(bytes(new byte[12]))).build()))).isEqualTo(400);
        EcPreKey twice = bob.ec(1).get(0);
        assertThat(code(bob.keys.upload(bob.first(0).addPreKeys(twice).addPreKeys(twice).build()))).isEqualTo(400);
        assertThat(code(bob.keys.upload(bob.first(0).addPreKeys(twice.toBuilder().setKeyId(0)).build()))).isEqualTo(400);
        assertThat(code(bob.keys.upload(bob.first(101).build()))).isEqualTo(413);
        assertThat(Await.result(bob.keys.counts()).getRegistered()).isFalse();

        KeyCounts stored = Await.result(bob.keys.upload(bob.first(3).build()));
        assertThat(stored.getPreKeys()).isEqualTo(3);
        assertThat(stored.getKyberPreKeys()).isEqualTo(3);
    }

    @Test
    void theIdentityKeyIsFixedUntilThePrimaryReRegistersIt() {
        Publisher bob = publisher("bob");
        Await.result(bob.keys.upload(bob.first(1).build()));
        IdentityKeyPair other = IdentityKeyPair.generate();

        Throwable changed = Await.failure(bob.keys.upload(UploadKeysRequest.newBuilder()
                .setIdentityKey(bytes(other.getPublicKey().serialize())).addAllPreKeys(bob.ec(1)).build()));
        assertThat(((ParleyException) changed).code()).isEqualTo(409);
        assertThat(changed.getMessage()).contains("identity key is fixed");

        Publisher tablet = new Publisher(vertx, Users.link(vertx, bob.client, "tablet"));
        Await.result(tablet.keys.upload(tablet.first(1).build()));
        assertThat(code(tablet.keys.upload(tablet.first(1).setReplaceIdentity(true).build()))).isEqualTo(403);

        Publisher fresh = new Publisher(vertx, bob.credentials);
        Await.result(fresh.keys.upload(fresh.first(2).setReplaceIdentity(true).build()));
        Publisher alice = publisher("alice");
        PreKeyBundle bundle = Await.result(alice.keys.bundles(bob.user(), List.of(1))).getBundles(0);
        assertThat(bundle.getIdentityKey()).isEqualTo(bytes(fresh.identity.getPublicKey().serialize()));
        assertThat(Await.result(fresh.keys.counts()).getPreKeys()).as("the old one-time keys went with the old identity")
                .isEqualTo(1);
    }

    @Test
    void eachOneTimeKeyIsHandedOutOnceThenTheLastResortKey() {
        Publisher bob = publisher("bob");
        UploadKeysRequest upload = bob.first(10).build();
        Await.result(bob.keys.upload(upload));
        List<Publisher> fetchers = List.of(publisher("f1"), publisher("f2"), publisher("f3"), publisher("f4"));

        List<Future<PreKeyBundles>> fetches = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            fetches.add(fetchers.get(i % fetchers.size()).keys.bundles(bob.user(), List.of()));
        }
        Await.result(Future.all(fetches));

        Set<Integer> ecIds = new HashSet<>();
        Set<Integer> kyberIds = new HashSet<>();
        int lastResort = 0;
        for (Future<PreKeyBundles> fetch : fetches) {
            PreKeyBundle bundle = fetch.result().getBundles(0);
            assertThat(bundle.getIdentityKey()).isEqualTo(upload.getIdentityKey());
            assertThat(bundle.getSignedPreKey()).isEqualTo(upload.getSignedPreKey());
            if (bundle.hasPreKey()) {
                assertThat(ecIds.add(bundle.getPreKey().getKeyId())).as("EC key handed out twice").isTrue();
            }
            if (bundle.getKyberLastResort()) {
                lastResort++;
                assertThat(bundle.getKyberPreKey()).isEqualTo(upload.getLastResortKyberPreKey());
            } else {
                assertThat(kyberIds.add(bundle.getKyberPreKey().getKeyId())).as("Kyber key handed out twice").isTrue();
            }
        }
        assertThat(ecIds).hasSize(10);
        assertThat(kyberIds).hasSize(10);
        assertThat(lastResort).isEqualTo(6);
        assertThat(Await.result(bob.keys.counts()).getPreKeys()).isZero();
        Await.until(() -> bob.pushes.stream().anyMatch(Push::hasKeysLow), "the low-keys push");
    }

    @Test
    void aBlockedCallerGetsNoBundleNorIdentity() {
        Publisher bob = publisher("bob");
        Await.result(bob.keys.upload(bob.first(2).build()));
        Publisher mallory = publisher("mallory");
        Await.result(bob.client.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(mallory.credentials.getUserId()))));

        assertThat(code(mallory.keys.bundles(bob.user(), List.of()))).isEqualTo(403);
        assertThat(code(mallory.keys.identities(bob.user()))).isEqualTo(403);
        assertThat(Await.result(bob.keys.counts()).getPreKeys()).as("a refused fetch takes no key").isEqualTo(2);
    }

    @Test
    void aRemovedDeviceHasNoBundleAndItsKeysAreDeleted() {
        Publisher bob = publisher("bob");
        Await.result(bob.keys.upload(bob.first(2).build()));
        Publisher tablet = new Publisher(vertx, Users.link(vertx, bob.client, "tablet"));
        Await.result(tablet.keys.upload(tablet.first(2).build()));
        Publisher alice = publisher("alice");
        assertThat(Await.result(alice.keys.bundles(bob.user(), List.of())).getBundlesCount()).isEqualTo(2);

        Await.result(bob.client.send(Request.newBuilder().setRemoveDevice(RemoveDeviceRequest.newBuilder()
                .setDeviceId(tablet.credentials.getDeviceId()))));

        Await.until(() -> Await.result(alice.keys.identities(bob.user())).getDevicesCount() == 1,
                "the removed device's keys to go");
        assertThat(Await.result(alice.keys.bundles(bob.user(), List.of())).getBundlesList())
                .extracting(PreKeyBundle::getDeviceId).containsExactly(1);
        assertThat(code(alice.keys.bundles(bob.user(), List.of(tablet.credentials.getDeviceId())))).isEqualTo(404);
    }
}
