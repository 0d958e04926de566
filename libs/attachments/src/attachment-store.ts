/**
 * Where attachment bytes live: a directory under `.data/` by default, any S3-compatible object
 * store in production. Small on purpose: everything that knows about tickets, audiences and
 * hashes lives above it, so both stores are interchangeable and tested by the same contract.
 *
 * Keys are opaque, slash-separated and chosen by the caller (`<attachment id>/display.jpg`);
 * a store never interprets them beyond that.
 */
export interface AttachmentStore {
  /** Writes the object whole (a reader never sees half of it); overwriting a key is allowed. */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, with when it was written (the orphan sweep). */
  list(prefix?: string): AsyncIterable<StoredObject>;
}

export interface StoredObject {
  key: string;
  writtenAt: Date;
  size: number;
}

/** A key segment: letters, digits, `.`, `_`, `-`, not starting with a dot (so never empty, `.` or `..`). */
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
/** At most this many segments (ours have two: `<attachment id>/display.jpg`). */
const MAX_KEY_SEGMENTS = 8;

/**
 * The one rule for keys, which every store applies before touching anything: 1 to 8
 * slash-separated names of letters, digits, `.`, `_` and `-`, none empty or starting with a dot.
 * Stores differ exactly at the edges this refuses (`a//b`, `a/../b`, a "directory" key `a/`,
 * hidden temp files of the directory store), and a key of ours never has them, so one is a bug.
 */
export function isAttachmentKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const segments = key.split('/');
  return segments.length <= MAX_KEY_SEGMENTS && segments.every((segment) => KEY_SEGMENT.test(segment));
}

/** Throws the same error from every store for a key `isAttachmentKey` refuses. */
export function assertAttachmentKey(key: unknown): asserts key is string {
  if (!isAttachmentKey(key)) {
    throw new Error(`invalid attachment key ${JSON.stringify(key)}: it is not an attachment key (1 to ${MAX_KEY_SEGMENTS} slash-separated names of letters, digits, ".", "_" and "-", none empty or starting with ".")`);
  }
}

/** The token under which Nest injects the configured store. */
export const ATTACHMENT_STORE = Symbol('AttachmentStore');
