package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.media.Attachments;
import io.parley.client.media.MessageContents;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MediaKind;
import io.parley.proto.MessageContent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments and voice notes in the browser app against a real node and the Java SDK: images
 * both ways byte-identical (with the browser's thumbnail), a video and a document, a voice note
 * recorded from Chromium's fake microphone and played by another browser (the sender sees the
 * PLAYED receipt), a file over its kind's cap refused before any upload, a blob altered in the
 * node's store shown as a notice, an upload whose connection is reset continued from the node's
 * offset, and the node's refusals as sentences. Writes docs/screenshots/attachments.png.
 */
class BrowserMediaTest extends BrowserTests {
    private static final String SHA256_OF_URL = MediaFiles.SHA256_OF_URL;

    @TempDir
    Path folder;

    @Test
    void anImageFromTheBrowserReachesTheJavaSdkByteIdenticalWithItsThumbnail() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        Path photo = picture("beach.png", 640, 480);
        web.startChat(java.username);
        web.page.fill("[data-test=composer]", "the beach");
        web.page.setFiles("[data-test=attach-input]", List.of(photo));
        web.page.waitFor("[data-test=attachment] [data-test=image]");
        JavaPerson.eventually("the Java SDK receives the image", () -> !java.attachments.isEmpty());

        AttachmentPointer pointer = java.attachments.get(0);
        assertThat(java.texts).contains("the beach");
        assertThat(pointer.getKind()).isEqualTo(MediaKind.MEDIA_KIND_IMAGE);
        assertThat(pointer.getFileName()).isEqualTo("beach.png");
        assertThat(pointer.getContentType()).isEqualTo("image/png");
        assertThat(pointer.getPlaintextSize()).isEqualTo(Files.size(photo));
        byte[] thumbnail = pointer.getThumbnail().toByteArray();
        assertThat(thumbnail).as("a JPEG made by the browser's canvas").startsWith(0xFF, 0xD8).hasSizeLessThan(16 * 1024);
        BufferedImage small = ImageIO.read(new java.io.ByteArrayInputStream(thumbnail));
        assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(160);

        Attachments attachments = new Attachments(java.secure);
        Path saved = JavaPerson.await(attachments.save(pointer, folder.resolve("saved"), "web"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(photo));
        JavaPerson.await(attachments.close());
        java.close();
    }

    @Test
    void aVideoMadeInTheBrowserReachesTheJavaSdkWithAFrameAsItsThumbnail() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        web.startChat(java.username);
        // A second of a canvas animation recorded as WebM, picked in the file input as a person would pick a file.
        String digest = web.page.evaluate("() => new Promise((done, fail) => {"
                + " const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });"
                + " const g = canvas.getContext('2d'); let frame = 0;"
                + " const paint = setInterval(() => { g.fillStyle = `hsl(${frame++ * 12}, 80%, 50%)`; g.fillRect(0, 0, 320, 240); }, 40);"
                + " const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' }); const parts = [];"
                + " recorder.ondataavailable = (e) => parts.push(e.data);"
                + " recorder.onstop = async () => { clearInterval(paint); const file = new File(parts, 'clip.webm', { type: 'video/webm' });"
                + "   const input = document.querySelector('[data-test=attach-input]'); const picked = new DataTransfer();"
                + "   picked.items.add(file); input.files = picked.files; input.dispatchEvent(new Event('change'));"
                + "   const sha = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());"
                + "   done([...new Uint8Array(sha)].map(x => x.toString(16).padStart(2, '0')).join('')); };"
                + " recorder.start(); setTimeout(() => recorder.stop(), 1000); })", null).asText();
        web.page.waitFor("[data-test=attachment][data-kind=video] [data-test=video]");
        JavaPerson.eventually("the Java SDK receives the video", () -> !java.attachments.isEmpty());

        AttachmentPointer pointer = java.attachments.get(0);
        assertThat(pointer.getKind()).isEqualTo(MediaKind.MEDIA_KIND_VIDEO);
        assertThat(pointer.getContentType()).isEqualTo("video/webm");
        assertThat(pointer.getThumbnail().toByteArray()).as("a JPEG of a frame").startsWith(0xFF, 0xD8);
        Attachments attachments = new Attachments(java.secure);
        Path saved = JavaPerson.await(attachments.save(pointer, folder.resolve("saved"), "web"));
        assertThat(sha256(saved)).isEqualTo(digest);
        JavaPerson.await(attachments.close());
        java.close();
    }

    @Test
    void filesFromTheJavaSdkAreShownAndDownloadedByteIdenticalInTheBrowser() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        Path photo = picture("garden.png", 300, 200);
        Path report = randomFile("report.pdf", 300_000);
        Attachments attachments = new Attachments(java.secure);
        JavaPerson.await(attachments.send(web.user, photo, MediaKind.MEDIA_KIND_IMAGE, "from java"));
        JavaPerson.await(attachments.send(web.user, report, MediaKind.MEDIA_KIND_DOCUMENT, ""));

        web.page.waitFor("[data-test=chat]", java.username);
        web.openChat(java.username);
        web.waitForMessage("from java");
        web.page.waitFor("[data-test=attachment][data-kind=image] [data-test=image]");
        web.page.waitFor("[data-test=document-link]", "report.pdf");
        assertThat(web.page.evaluate(SHA256_OF_URL, "[data-test=attachment][data-kind=image] [data-test=image]").asText())
                .isEqualTo(sha256(photo));
        assertThat(web.page.evaluate(SHA256_OF_URL, "[data-test=document-link]").asText()).isEqualTo(sha256(report));
        assertThat(web.page.texts("[data-test=document-link]").get(0)).contains("293 KiB");
        assertThat(web.page.attributes("[data-test=document-link]", "download")).containsExactly("report.pdf");
        JavaPerson.await(attachments.close());
        java.close();
    }

    @Test
    void aVoiceNoteRecordedInChromiumIsPlayedByTheOtherBrowserAndTheSenderSeesItPlayed() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        alice.page.setFiles("[data-test=attach-input]", List.of(picture("sunset.png", 480, 320)));
        alice.page.waitFor("[data-test=attachment] [data-test=image]");

        alice.page.click("[data-test=record]").waitFor("[data-test=record]", "Send");
        // The note's length: Chromium's fake microphone beeps into it for this long.
        alice.page.waitUntil("() => new Promise(done => setTimeout(() => done(true), 1600))", null);
        alice.page.click("[data-test=record]");
        alice.page.waitFor("[data-test=attachment][data-kind=voice] [data-test=play-voice]");
        var sent = alice.page.evaluate("() => window.parley.history.messages(document.querySelector('[data-test=conversation]').dataset.chat).then(all => all.flatMap(m => m.attachments ?? [])"
                + ".filter(a => a.kind === 'voice').map(a => ({ type: a.contentType, ms: a.durationMs, name: a.fileName })))", null);
        assertThat(sent.get(0).path("type").asText()).isIn("audio/webm", "audio/ogg");
        assertThat(sent.get(0).path("ms").asInt()).isBetween(1_500, 10_000);

        bob.page.waitFor("[data-test=chat]", alice.username);
        bob.openChat(alice.username);
        bob.page.waitFor("[data-test=attachment][data-kind=voice] [data-test=play-voice]");
        assertThat(bob.page.texts("[data-test=voice-duration]").get(0)).matches("0:0[1-9]");
        assertThat(alice.page.texts("[data-test=played]")).isEmpty();
        bob.page.click("[data-test=play-voice]");
        bob.page.waitUntil("() => document.querySelector('[data-test=voice-audio]').currentTime > 0.2", null);
        alice.page.waitFor("[data-test=attachment][data-kind=voice] [data-test=played]", "played");
        bob.page.waitUntil("() => document.querySelector('[data-test=voice-audio]').ended", null);
        Path shots = Browser.webClientDir().resolveSibling("docs").resolve("screenshots");
        alice.page.screenshot(shots.resolve("attachments.png"));
    }

    @Test
    void aFileOverItsKindsCapIsRefusedBeforeAnyUpload() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        WebPerson bob = WebPerson.register(browser, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        Path huge = randomFile("huge.jpg", 17 * 1024 * 1024);
        long heldBefore = filesInTheMediaStore();

        alice.page.setFiles("[data-test=attach-input]", List.of(huge));
        alice.page.waitFor("[data-test=error]", "Too large (413)");
        assertThat(alice.page.texts("[data-test=error]").get(0))
                .contains("huge.jpg is 17 MiB, over the 16 MiB limit for image attachments. Nothing was uploaded.");
        assertThat(alice.page.mediaRequests()).as("no media request left the browser").isEmpty();
        assertThat(alice.messages()).isEmpty();
        assertThat(filesInTheMediaStore()).as("the node staged or stored nothing").isEqualTo(heldBefore);

        Path fine = randomFile("fine.txt", 2_000);
        alice.page.setFiles("[data-test=attach-input]", List.of(fine));
        alice.page.waitFor("[data-test=document-link]", "fine.txt");
        assertThat(alice.page.mediaRequests()).hasSize(1).allMatch(r -> r.startsWith("PUT /v1/media/"));
    }

    @Test
    void anAttachmentAlteredInTheStoreShowsANoticeInsteadOfTheFile() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        Path photo = picture("altered.png", 200, 200);
        Attachments attachments = new Attachments(java.secure);
        AttachmentPointer pointer = JavaPerson.await(attachments.upload(photo, MediaKind.MEDIA_KIND_IMAGE));
        UUID blob = Ids.uuid(pointer.getBlobId(), "blob_id");
        Path stored = WebTestNode.get().config().media().localFolder().resolve(blob.toString().substring(0, 2))
                .resolve(blob.toString());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(stored, bytes);
        JavaPerson.await(java.secure.send(web.user, MessageContents.encode(MessageContent.newBuilder()
                .setText("look at this").addAttachments(pointer).build())));

        web.page.waitFor("[data-test=chat]", java.username);
        web.openChat(java.username);
        web.waitForMessage("look at this");
        web.page.waitFor("[data-test=attachment-error]", "altered or damaged on the way");
        assertThat(web.page.texts("[data-test=attachment] [data-test=image]")).isEmpty();
        JavaPerson.await(attachments.close());
        java.close();
    }

    @Test
    void anUploadWhoseConnectionIsResetAsksTheNodesOffsetAndCompletes() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        web.startChat(java.username);
        Path report = randomFile("notes.pdf", 400_000);
        web.page.failNextRequest("PUT", "/v1/media/");
        web.page.setFiles("[data-test=attach-input]", List.of(report));
        web.page.waitFor("[data-test=document-link]", "notes.pdf");
        assertThat(web.page.mediaRequests()).as("the reset PUT (cut before its bytes reached the node), HEAD for the offset, then the PUT from there")
                .hasSize(3).satisfies(r -> {
                    assertThat(r.get(0)).startsWith("PUT ");
                    assertThat(r.get(1)).startsWith("HEAD ");
                    assertThat(r.get(2)).startsWith("PUT ");
                });
        JavaPerson.eventually("the Java SDK receives the document", () -> !java.attachments.isEmpty());
        Attachments attachments = new Attachments(java.secure);
        Path saved = JavaPerson.await(attachments.save(java.attachments.get(0), folder.resolve("saved"), "web"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(report));
        JavaPerson.await(attachments.close());
        java.close();
    }

    @Test
    void theNodesRefusalsOfAnUploadReadAsSentences() {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        // Straight to the app's MediaApi, past the composer's own cap check: the node's answers as shown.
        String call = "([kind, size, digestByte]) => window.parley.attachments.api.upload(kind, new Uint8Array(size),"
                + " new Uint8Array(32).fill(digestByte)).then(() => 'uploaded', e => e.readable)";
        assertThat(alice.page.evaluate(call, List.of("voice", 16 * 1024 * 1024 + 16, 1)).asText())
                .isEqualTo("Too large (413): voice uploads are limited to 16777216 bytes");
        assertThat(alice.page.evaluate(call, List.of("document", 64, 7)).asText())
                .isEqualTo("That was not accepted (400): the uploaded bytes do not match the digest given; nothing was kept");
    }

    @Test
    void anAttachmentTheNodeDoesNotHaveReadsAsNotFound() throws Exception {
        JavaPerson java = new JavaPerson(vertx, WebPerson.uniqueName("jv"));
        WebPerson web = WebPerson.register(browser, WebPerson.uniqueName("wb"));
        AttachmentPointer missing = AttachmentPointer.newBuilder().setBlobId(Ids.bytes(UUID.randomUUID()))
                .setKind(MediaKind.MEDIA_KIND_DOCUMENT).setKey(com.google.protobuf.ByteString.copyFrom(new byte[64]))
                .setDigest(com.google.protobuf.ByteString.copyFrom(new byte[32])).setSize(64).setPlaintextSize(10)
                .setFileName("gone.pdf").build();
        JavaPerson.await(java.secure.send(web.user, MessageContents.encode(MessageContent.newBuilder()
                .setText("an old file").addAttachments(missing).build())));
        web.page.waitFor("[data-test=chat]", java.username);
        web.openChat(java.username);
        web.page.waitFor("[data-test=attachment-error]", "gone.pdf could not be opened: Not found (404)");
        java.close();
    }

    private long filesInTheMediaStore() throws IOException {
        var media = WebTestNode.get().config().media();
        long count = 0;
        for (Path root : List.of(media.localFolder(), media.stagingFolder())) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    count += files.filter(Files::isRegularFile).count();
                }
            }
        }
        return count;
    }

    private Path picture(String name, int width, int height) throws IOException {
        return MediaFiles.picture(folder, name, width, height);
    }

    private Path randomFile(String name, int bytes) throws IOException {
        return MediaFiles.randomFile(folder, name, bytes);
    }

    private static String sha256(Path file) throws Exception {
        return MediaFiles.sha256(file);
    }
}
