import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { AttachmentStore, StoredObject } from './attachment-store';

/** A key segment: letters, digits, `.`, `_`, `-`, not starting with a dot (no `..`, no hidden temp files). */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * The embedded store: one file per key under a directory (ATTACHMENT_DIR, default
 * `.data/attachments`), so `npm start` needs nothing new. A write goes to a hidden temp file in
 * the same folder and is renamed into place (atomic on one file system): a reader sees the old
 * object or the new one, never half of one, and a crash leaves only a temp file that `list`
 * does not show. Keys are checked segment by segment, so none can leave the directory.
 */
export class DirectoryAttachmentStore implements AttachmentStore {
  readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    // The attachment's folder goes with its last object (best effort: another object may remain).
    await rmdir(dirname(path)).catch(() => undefined);
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    yield* this.walk(this.root, '', prefix);
  }

  private async *walk(dir: string, keyPrefix: string, wanted: string): AsyncIterable<StoredObject> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (!SEGMENT.test(entry.name)) continue; // temp files and anything not written by put
      const key = keyPrefix + entry.name;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // Descend only where a wanted key can be.
        if (wanted.startsWith(`${key}/`) || `${key}/`.startsWith(wanted)) yield* this.walk(path, `${key}/`, wanted);
      } else if (entry.isFile() && key.startsWith(wanted)) {
        const info = await stat(path).catch(() => null);
        if (info) yield { key, writtenAt: info.mtime, size: info.size };
      }
    }
  }

  /** The file of a key; throws for a key that is empty, absolute, has `..` or anything a key of ours never has. */
  private pathOf(key: string): string {
    const segments = typeof key === 'string' ? key.split('/') : [];
    if (segments.length === 0 || segments.length > 8 || !segments.every((s) => SEGMENT.test(s))) {
      throw new Error(`invalid attachment key ${JSON.stringify(key)}`);
    }
    const path = join(this.root, ...segments);
    // Belt and braces: the segment rule already keeps it inside.
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid attachment key ${JSON.stringify(key)}`);
    return path;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT' || (error as NodeJS.ErrnoException)?.code === 'ENOTDIR';
