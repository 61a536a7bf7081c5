package io.parley.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bus.Ids;
import io.parley.client.ParleyException;
import io.parley.client.media.Attachments;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.proto.AddContactRequest;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MediaKind;
import io.parley.proto.MessageContent;
import io.parley.proto.Request;
import io.parley.proto.StatusPosted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status posts with media between the browser and Java SDK users, through a real node: a browser's
 * image status shared only with Bob is decrypted by Bob's StatusApi and its file saved
 * byte-identical (its media goes from the node with the post), and a video status likewise; a Java
 * user's image status shows in the browser with the same bytes, the browser user in its viewers, and
 * leaves the screen when deleted; a file a status cannot carry is refused before any upload. Writes
 * docs/screenshots/status-media.png.
 */
class BrowserMediaStatusTest extends BrowserTests {
    @TempDir
    Path folder;

    @Test
    void anImageStatusSharedOnlyWithBobIsViewedByTheJavaSdkByteIdenticalAndItsMediaGoesWithThePost() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        JavaPerson carol = new JavaPerson(vertx, WebPerson.uniqueName("carol"));
        alice.startChat(bob.username);
        alice.startChat(carol.username);
        Path photo = MediaFiles.picture(folder, "summit.png", 640, 480);

        alice.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        alice.page.setFiles("[data-test=status-attach-input]", List.of(photo)).waitFor("[data-test=status-media-chosen]", "summit.png");
        alice.page.select("[data-test=status-audience]", "ONLY_SHARE_WITH")
                .click("[data-test=status-contact][data-user='" + bob.user() + "']")
                .fill("[data-test=status-text]", "At the summit").click("[data-test=post-status]");
        alice.page.waitFor("[data-test=my-status] [data-test=attachment][data-kind=image] [data-test=image]");
        alice.page.waitFor("[data-test=my-status]", "At the summit");
        UUID postId = UUID.fromString(alice.page.evaluate(
                "() => document.querySelector('[data-test=my-status]').dataset.post", null).asText());

        StatusApi bobStatus = new StatusApi(bob.secure);
        StatusApi.Viewed viewed = JavaPerson.await(bobStatus.view(postId));
        assertThat(viewed.content().getText()).isEqualTo("At the summit");
        assertThat(viewed.content().getAttachmentsList()).hasSize(1);
        AttachmentPointer pointer = viewed.content().getAttachments(0);
        assertThat(pointer.getKind()).isEqualTo(MediaKind.MEDIA_KIND_IMAGE);
        assertThat(pointer.getFileName()).isEqualTo("summit.png");
        assertThat(pointer.getContentType()).isEqualTo("image/png");
        assertThat(pointer.getThumbnail().toByteArray()).as("the browser's preview, small enough for a copy").startsWith(0xFF, 0xD8);
        Attachments bobFiles = new Attachments(bob.secure);
        Path saved = JavaPerson.await(bobFiles.save(pointer, folder.resolve("bob"), "status"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(photo));

        // Carol is a contact left out: no copy, as if there were no post.
        assertThatThrownBy(() -> JavaPerson.await(new StatusApi(carol.secure).view(postId)))
                .rootCause().isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo(404));
        alice.page.waitFor("[data-test=my-status] [data-test=viewers]", bob.username);

        // The post named its blob in blob_ids: deleting the post deletes the media on the node.
        alice.page.click("[data-test=delete-status]");
        alice.page.waitUntil("(id) => !document.querySelector(`[data-test=my-status][data-post='${id}']`)", postId.toString());
        JavaPerson.eventually("the status's media is gone from the node", () -> {
            try {
                JavaPerson.await(bobFiles.save(pointer, folder.resolve("again"), "status"));
                return false;
            } catch (AssertionError e) {
                return notFound(e);
            }
        });
        JavaPerson.await(bobFiles.close());
        bob.close();
        carol.close();
    }

    @Test
    void aVideoStatusMadeInTheBrowserIsSavedByTheJavaSdkWithTheSameBytes() throws Exception {
        WebPerson alice = WebPerson.register(browser, WebPerson.uniqueName("alice"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        alice.startChat(bob.username);
        alice.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        // A second of a canvas animation recorded as WebM, picked in the status's file input as a person would pick a file.
        String digest = alice.page.evaluate("() => new Promise((done) => {"
                + " const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });"
                + " const g = canvas.getContext('2d'); let frame = 0;"
                + " const paint = setInterval(() => { g.fillStyle = `hsl(${frame++ * 12}, 80%, 50%)`; g.fillRect(0, 0, 320, 240); }, 40);"
                + " const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' }); const parts = [];"
                + " recorder.ondataavailable = (e) => parts.push(e.data);"
                + " recorder.onstop = async () => { clearInterval(paint); const file = new File(parts, 'wave.webm', { type: 'video/webm' });"
                + "   const input = document.querySelector('[data-test=status-attach-input]'); const picked = new DataTransfer();"
                + "   picked.items.add(file); input.files = picked.files; input.dispatchEvent(new Event('change'));"
                + "   const sha = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());"
                + "   done([...new Uint8Array(sha)].map(x => x.toString(16).padStart(2, '0')).join('')); };"
                + " recorder.start(); setTimeout(() => recorder.stop(), 1000); })", null).asText();
        alice.page.waitFor("[data-test=status-media-chosen]", "wave.webm").click("[data-test=post-status]");
        alice.page.waitFor("[data-test=my-status] [data-test=attachment][data-kind=video] [data-test=video]");
        UUID postId = UUID.fromString(alice.page.evaluate(
                "() => document.querySelector('[data-test=my-status]').dataset.post", null).asText());

        StatusApi.Viewed viewed = JavaPerson.await(new StatusApi(bob.secure).view(postId));
        assertThat(viewed.content().getText()).isEmpty();
        AttachmentPointer pointer = viewed.content().getAttachments(0);
        assertThat(pointer.getKind()).isEqualTo(MediaKind.MEDIA_KIND_VIDEO);
        assertThat(pointer.getContentType()).isEqualTo("video/webm");
        Attachments bobFiles = new Attachments(bob.secure);
        Path saved = JavaPerson.await(bobFiles.save(pointer, folder.resolve("bob"), "status"));
        assertThat(MediaFiles.sha256(saved)).isEqualTo(digest);
        JavaPerson.await(bobFiles.close());
        bob.close();
    }

    @Test
    void aJavaUsersImageStatusShowsInTheBrowserWithTheSameBytesAndLeavesWhenDeleted() throws Exception {
        WebPerson dave = WebPerson.register(browser, WebPerson.uniqueName("dave"));
        JavaPerson bob = new JavaPerson(vertx, WebPerson.uniqueName("bob"));
        JavaPerson.await(bob.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder().setUsername(dave.username))));
        Path photo = MediaFiles.picture(folder, "lake.png", 480, 320);
        Attachments bobFiles = new Attachments(bob.secure);
        AttachmentPointer pointer = JavaPerson.await(bobFiles.upload(photo, MediaKind.MEDIA_KIND_IMAGE));
        StatusApi bobStatus = new StatusApi(bob.secure);
        StatusPosted posted = JavaPerson.await(bobStatus.post(MessageContent.newBuilder().setText("The lake this morning")
                .addAttachments(pointer).build(), Audience.onlyShareWith(Set.of(dave.user))));
        UUID postId = Ids.uuid(posted.getPostId(), "post_id");

        dave.page.click("[data-test=status-tab]");
        String item = "[data-test=contact-status][data-post='" + postId + "']";
        dave.page.waitFor(item, bob.username).click(item);
        String image = "[data-test=status-viewer] [data-test=attachment][data-kind=image] [data-test=image]";
        dave.page.waitFor(image);
        dave.page.waitFor("[data-test=status-view-text]", "The lake this morning");
        assertThat(dave.page.evaluate(MediaFiles.SHA256_OF_URL, image).asText()).isEqualTo(MediaFiles.sha256(photo));
        JavaPerson.eventually("Dave in the Java poster's viewers", () -> JavaPerson.await(bobStatus.viewers(postId)).getViewersList()
                .stream().anyMatch(v -> Ids.uuid(v.getUserId(), "user_id").equals(dave.user)));
        dave.page.evaluate("() => document.querySelector('[data-test=status-view-text]').scrollIntoView({ block: 'end' })", null);
        dave.page.screenshot(Browser.webClientDir().resolveSibling("docs").resolve("screenshots").resolve("status-media.png"));

        // A post the server no longer lists (deleted here; the 24-hour sweep does the same) leaves the screen with its media.
        JavaPerson.await(bobStatus.delete(postId));
        dave.page.waitUntil("(id) => !document.querySelector(`[data-test=contact-status][data-post='${id}']`)"
                + " && !document.querySelector(`[data-test=status-viewer] [data-post='${id}']`)"
                + " && !document.querySelector('[data-test=status-viewer] [data-test=image]')", postId.toString());
        JavaPerson.await(bobFiles.close());
        bob.close();
    }

    @Test
    void aFileAStatusCannotCarryIsRefusedBeforeAnyUpload() throws Exception {
        WebPerson erin = WebPerson.register(browser, WebPerson.uniqueName("erin"));
        erin.page.click("[data-test=status-tab]").waitFor("[data-test=status-panel]");
        Path huge = MediaFiles.randomFile(folder, "huge.jpg", 17 * 1024 * 1024);
        erin.page.setFiles("[data-test=status-attach-input]", List.of(huge));
        erin.page.waitFor("[data-test=status-error]", "huge.jpg is 17 MiB, over the 16 MiB limit for image attachments. Nothing was uploaded.");
        Path notes = MediaFiles.randomFile(folder, "notes.pdf", 2_000);
        erin.page.setFiles("[data-test=status-attach-input]", List.of(notes));
        erin.page.waitFor("[data-test=status-error]", "a status shows an image or a video; notes.pdf is a document");
        assertThat(erin.page.texts("[data-test=status-media-chosen]").get(0)).isEmpty();
        erin.page.click("[data-test=post-status]").waitFor("[data-test=status-error]", "a status needs some text, or a photo or video");
        assertThat(erin.page.mediaRequests()).as("no media request left the browser").isEmpty();
        assertThat(erin.page.texts("[data-test=my-status]")).isEmpty();
    }

    /** True when the failure comes from the node's 404 (no such blob). */
    private static boolean notFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ParleyException p) {
                return p.code() == 404;
            }
        }
        return false;
    }
}
