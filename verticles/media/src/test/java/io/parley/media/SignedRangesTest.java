package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bus.Failure;
import io.vertx.core.eventbus.ReplyException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** URL signatures bind every field; range headers parse to the right span or fail with 400. */
class SignedRangesTest {
    private final UrlSigner signer = new UrlSigner("a key of thirty-two bytes, or so".getBytes(StandardCharsets.UTF_8));
    private final UUID blob = UUID.randomUUID();

    @Test
    void aSignatureVerifiesOnlyForTheFieldsItWasMadeFor() {
        String sig = signer.sign(UrlSigner.UPLOAD, blob, 1_000, 500);
        assertThat(signer.verify(UrlSigner.UPLOAD, blob, 1_000, 500, sig)).isTrue();
        assertThat(signer.verify(UrlSigner.DOWNLOAD, blob, 1_000, 500, sig)).isFalse();
        assertThat(signer.verify(UrlSigner.UPLOAD, UUID.randomUUID(), 1_000, 500, sig)).isFalse();
        assertThat(signer.verify(UrlSigner.UPLOAD, blob, 1_001, 500, sig)).isFalse();
        assertThat(signer.verify(UrlSigner.UPLOAD, blob, 1_000, 501, sig)).isFalse();
        assertThat(new UrlSigner(new byte[32]).verify(UrlSigner.UPLOAD, blob, 1_000, 500, sig)).isFalse();
        assertThat(signer.path(UrlSigner.UPLOAD, blob, 1_000, 500))
                .isEqualTo("/v1/media/" + blob + "?op=upload&exp=1000&max=500&sig=" + sig);
    }

    @Test
    void downloadRangesCoverFirstLastOpenAndSuffixForms() {
        assertThat(ByteRanges.download(null, 100)).isEqualTo(new ByteRanges.Span(0, 100));
        assertThat(ByteRanges.download("bytes=10-19", 100)).isEqualTo(new ByteRanges.Span(10, 10));
        assertThat(ByteRanges.download("bytes=90-", 100)).isEqualTo(new ByteRanges.Span(90, 10));
        assertThat(ByteRanges.download("bytes=-5", 100)).isEqualTo(new ByteRanges.Span(95, 5));
        assertThat(ByteRanges.download("bytes=50-500", 100)).isEqualTo(new ByteRanges.Span(50, 50));
    }

    @Test
    void malformedOrUnsatisfiableRangesAre400() {
        for (String bad : new String[] {"bytes=100-", "bytes=5-2", "bytes=a-b", "items=1-2", "bytes=1-2,4-5", "bytes=-0"}) {
            assertThatThrownBy(() -> ByteRanges.download(bad, 100)).as(bad).isInstanceOf(ReplyException.class)
                    .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(Failure.BAD_REQUEST.code()));
        }
    }

    @Test
    void uploadContentRangesMustMatchTheReservedSize() {
        assertThat(ByteRanges.upload(null, 100)).isEqualTo(new ByteRanges.Upload(0, 100));
        assertThat(ByteRanges.upload("bytes 40-99/100", 100)).isEqualTo(new ByteRanges.Upload(40, 100));
        for (String bad : new String[] {"bytes 40-99/200", "bytes 40-100/100", "bytes 9-3/100", "40-99/100", "bytes x-y/100"}) {
            assertThatThrownBy(() -> ByteRanges.upload(bad, 100)).as(bad).isInstanceOf(ReplyException.class)
                    .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(Failure.BAD_REQUEST.code()));
        }
    }
}
