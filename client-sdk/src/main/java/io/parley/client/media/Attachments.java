package io.parley.client.media;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MediaKind;
import io.parley.proto.MessageContent;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Files as end-to-end encrypted attachments: encrypts a file under a new key, uploads the ciphertext,
 * and sends the pointer (blob id, key, digest, name) inside a Signal message; on the other side
 * downloads, checks and decrypts an attachment into a folder. File and crypto work runs on workers.
 */
public final class Attachments {
    private static final Map<String, MediaKind> KINDS = Map.ofEntries(
            Map.entry("jpg", MediaKind.MEDIA_KIND_IMAGE), Map.entry("jpeg", MediaKind.MEDIA_KIND_IMAGE),
            Map.entry("png", MediaKind.MEDIA_KIND_IMAGE), Map.entry("gif", MediaKind.MEDIA_KIND_IMAGE),
            Map.entry("webp", MediaKind.MEDIA_KIND_IMAGE), Map.entry("mp4", MediaKind.MEDIA_KIND_VIDEO),
            Map.entry("mov", MediaKind.MEDIA_KIND_VIDEO), Map.entry("webm", MediaKind.MEDIA_KIND_VIDEO),
            Map.entry("ogg", MediaKind.MEDIA_KIND_VOICE), Map.entry("opus", MediaKind.MEDIA_KIND_VOICE),
            Map.entry("m4a", MediaKind.MEDIA_KIND_VOICE));

    private final SecureMessenger secure;
    private final MediaApi media;

    public Attachments(SecureMessenger secure) {
        this.secure = secure;
        this.media = new MediaApi(secure.client());
    }

    public MediaApi media() {
        return media;
    }

    /** The kind a file name suggests: image, video, voice by extension, otherwise document. */
    public static MediaKind kindOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? MediaKind.MEDIA_KIND_DOCUMENT
                : KINDS.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), MediaKind.MEDIA_KIND_DOCUMENT);
    }

    /** Encrypts and uploads a file; the pointer to put in a message. */
    public Future<AttachmentPointer> upload(Path file, MediaKind kind) {
        return secure.client().vertx().<Path>executeBlocking(() -> Files.createTempFile("parley-upload", ".enc"))
                .compose(sealedFile -> secure.client().vertx().executeBlocking(() -> AttachmentCipher.encrypt(file, sealedFile))
                        .compose(sealed -> media.upload(kind, sealedFile, sealed).map(blob -> AttachmentPointer.newBuilder()
                                .setBlobId(Ids.bytes(blob)).setKind(kind).setKey(ByteString.copyFrom(sealed.key()))
                                .setDigest(ByteString.copyFrom(sealed.digest())).setSize(sealed.size())
                                .setPlaintextSize(sealed.plaintextSize()).setFileName(file.getFileName().toString())
                                .build()))
                        .eventually(() -> secure.client().vertx().executeBlocking(() -> Files.deleteIfExists(sealedFile))));
    }

    /** Sends a file (with an optional caption) to a user as one encrypted message. */
    public Future<SendMessageResponse> send(UUID user, Path file, MediaKind kind, String caption) {
        return upload(file, kind).compose(pointer -> secure.send(user, MessageContents.encode(MessageContent.newBuilder()
                .setText(caption).addAttachments(pointer).build())));
    }

    /**
     * Downloads, checks (digest, MAC) and decrypts an attachment into {@code folder} as
     * {@code prefix-NAME}; completes with the file's path. A blob that fails its checks is not saved.
     */
    public Future<Path> save(AttachmentPointer pointer, Path folder, String prefix) {
        UUID blob = Ids.uuid(pointer.getBlobId(), "blob_id");
        String name = safeName(pointer.getFileName().isEmpty() ? blob.toString() : pointer.getFileName());
        Path target = folder.resolve(prefix + "-" + name);
        Path sealedFile = folder.resolve("." + blob + ".enc");
        return secure.client().vertx().executeBlocking(() -> Files.createDirectories(folder))
                .compose(v -> media.download(blob, sealedFile))
                .compose(v -> secure.client().vertx().executeBlocking(() -> {
                    AttachmentCipher.decrypt(sealedFile, target, pointer.getKey().toByteArray(),
                            pointer.getDigest().toByteArray());
                    return target;
                }))
                .eventually(() -> secure.client().vertx().executeBlocking(() -> Files.deleteIfExists(sealedFile)));
    }

    /** A file name without folders or control characters, so a sender cannot write outside the folder. */
    static String safeName(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "_");
        return base.isBlank() || base.equals(".") || base.equals("..") ? "attachment" : base;
    }

    public Future<Void> close() {
        return media.close();
    }
}
