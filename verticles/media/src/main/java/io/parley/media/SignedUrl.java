package io.parley.media;

import io.parley.bus.Failure;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The parts of a signed media URL as a request presents them; {@link #check} refuses forged or expired ones (403). */
record SignedUrl(UUID blobId, String op, long expiresAtMs, long maxBytes, String signature) {

    static SignedUrl of(RoutingContext ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw Failure.BAD_REQUEST.exception("not a blob id: " + ctx.pathParam("id"));
        }
        String op = ctx.queryParams().get("op");
        String exp = ctx.queryParams().get("exp");
        String max = ctx.queryParams().get("max");
        String sig = ctx.queryParams().get("sig");
        if (op == null || exp == null || max == null || sig == null) {
            throw Failure.FORBIDDEN.exception("the media URL is not signed (op, exp, max and sig are required)");
        }
        try {
            return new SignedUrl(id, op, Long.parseLong(exp), Long.parseLong(max), sig);
        } catch (NumberFormatException e) {
            throw Failure.FORBIDDEN.exception("the media URL's exp or max is not a number");
        }
    }

    /** This URL, if it is a valid signature of {@code expectedOp} that has not expired at {@code nowMs}. */
    SignedUrl check(UrlSigner signer, String expectedOp, long nowMs) {
        if (!op.equals(expectedOp) || !signer.verify(op, blobId, expiresAtMs, maxBytes, signature)) {
            throw Failure.FORBIDDEN.exception("the media URL's signature is not valid for this " + expectedOp);
        }
        if (nowMs > expiresAtMs) {
            throw Failure.FORBIDDEN.exception("the media URL expired; ask for a new one");
        }
        return this;
    }
}
