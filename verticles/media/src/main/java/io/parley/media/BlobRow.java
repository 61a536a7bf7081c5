package io.parley.media;

import io.parley.proto.MediaKind;
import java.util.UUID;

/** One blob's metadata row (media_blobs). */
record BlobRow(UUID blobId, UUID owner, MediaKind kind, long size, byte[] digest, boolean complete, long createdAt) {
}
