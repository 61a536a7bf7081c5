// A 1:1 plaintext as the Java SDK's MessageContents writes it: UTF-8 text, or the byte 0x00 then a
// MessageContent (media.proto: text = 1, attachments = 2, status_post_id = 3). The web client
// writes the structured form for status replies and reads it from anyone.
import { fromUtf8, toBase64, utf8 } from '../signal/index.js';
import { decodeProto, encodeProto, optionalBytes } from '../signal/protobuf.js';
import { uuidBytes, uuidFromBase64 } from './net/ids.js';

const STRUCTURED = 0x00;
const TEXT = 1;
const STATUS_POST_ID = 3;

export interface Content {
  text: string;
  /** Set on a reply to a status post: the post's id. */
  statusPostId?: string;
}

/** The plaintext of a reply to a status post. */
export function encodeStatusReply(text: string, postId: string): Uint8Array {
  const body = encodeProto([[TEXT, utf8(text)], [STATUS_POST_ID, uuidBytes(postId)]]);
  const out = new Uint8Array(body.length + 1);
  out[0] = STRUCTURED;
  out.set(body, 1);
  return out;
}

/** What a plaintext says; structured content that does not parse stays text, as in the SDK. */
export function readContent(plaintext: Uint8Array): Content {
  if (plaintext.length > 0 && plaintext[0] === STRUCTURED) {
    try {
      const fields = decodeProto(plaintext.subarray(1), { [TEXT]: 'bytes', [STATUS_POST_ID]: 'bytes' });
      const text = fromUtf8(optionalBytes(fields, TEXT) ?? new Uint8Array());
      const post = optionalBytes(fields, STATUS_POST_ID);
      return post?.length === 16 ? { text, statusPostId: uuidFromBase64(toBase64(post)) } : { text };
    } catch {
      // Not a MessageContent: shown as text below.
    }
  }
  return { text: fromUtf8(plaintext) };
}
