package io.parley.media;

import io.parley.bus.Failure;

/**
 * The two range headers media speaks: a download's {@code Range: bytes=a-b | a- | -n} (one range)
 * and an upload's {@code Content-Range: bytes a-b/total}. Malformed or unsatisfiable ones are a 400.
 */
final class ByteRanges {
    /** Bytes {@code [offset, offset + length)}. */
    record Span(long offset, long length) {
    }

    /** Where an upload's body goes: from {@code start}, of a blob of {@code total} bytes. */
    record Upload(long start, long total) {
    }

    private ByteRanges() {
    }

    /** The span a Range header asks of a blob of {@code size} bytes; the whole blob when absent. */
    static Span download(String header, long size) {
        if (header == null) {
            return new Span(0, size);
        }
        String spec = header.trim();
        if (!spec.startsWith("bytes=") || spec.contains(",")) {
            throw Failure.BAD_REQUEST.exception("Range must be one 'bytes=first-last' range");
        }
        String[] ends = spec.substring("bytes=".length()).split("-", -1);
        if (ends.length != 2) {
            throw Failure.BAD_REQUEST.exception("Range must be one 'bytes=first-last' range");
        }
        try {
            if (ends[0].isEmpty()) {
                long suffix = Long.parseLong(ends[1]);
                if (suffix <= 0 || size == 0) {
                    throw Failure.BAD_REQUEST.exception("range not satisfiable for a blob of " + size + " bytes");
                }
                long length = Math.min(suffix, size);
                return new Span(size - length, length);
            }
            long first = Long.parseLong(ends[0]);
            long last = ends[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(ends[1]), size - 1);
            if (first < 0 || first >= size || last < first) {
                throw Failure.BAD_REQUEST.exception("range not satisfiable for a blob of " + size + " bytes");
            }
            return new Span(first, last - first + 1);
        } catch (NumberFormatException e) {
            throw Failure.BAD_REQUEST.exception("Range must be one 'bytes=first-last' range");
        }
    }

    /** Where an upload continues: Content-Range's first byte and total, or from 0 of {@code size} when absent. */
    static Upload upload(String header, long size) {
        if (header == null) {
            return new Upload(0, size);
        }
        String spec = header.trim();
        if (!spec.startsWith("bytes ")) {
            throw Failure.BAD_REQUEST.exception("Content-Range must be 'bytes first-last/total'");
        }
        String[] parts = spec.substring("bytes ".length()).split("/", -1);
        String[] ends = parts[0].split("-", -1);
        if (parts.length != 2 || ends.length != 2) {
            throw Failure.BAD_REQUEST.exception("Content-Range must be 'bytes first-last/total'");
        }
        try {
            long first = Long.parseLong(ends[0]);
            long last = Long.parseLong(ends[1]);
            long total = Long.parseLong(parts[1]);
            if (total != size) {
                throw Failure.BAD_REQUEST.exception("Content-Range total " + total + " is not the reserved size " + size);
            }
            if (first < 0 || last < first || last >= total) {
                throw Failure.BAD_REQUEST.exception("Content-Range " + first + "-" + last + " is outside the blob");
            }
            return new Upload(first, total);
        } catch (NumberFormatException e) {
            throw Failure.BAD_REQUEST.exception("Content-Range must be 'bytes first-last/total'");
        }
    }
}
