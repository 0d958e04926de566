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

/** The token under which Nest injects the configured store. */
export const ATTACHMENT_STORE = Symbol('AttachmentStore');
