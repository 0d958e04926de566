import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { assertAttachmentKey, isAttachmentKey, type AttachmentStore, type StoredObject } from './attachment-store';

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
    const path = this.pathOf(key);
    try {
      return await readFile(path);
    } catch (error) {
      // A key naming a "directory" (the first part of other keys) is no object, as in S3.
      if (isMissing(error) || (error as NodeJS.ErrnoException)?.code === 'EISDIR') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await rm(path, { force: true });
    } catch (error) {
      // A "directory" key is no object: nothing to delete (the objects under it stay).
      if ((error as NodeJS.ErrnoException)?.code === 'EISDIR' || (error as NodeJS.ErrnoException)?.code === 'ERR_FS_EISDIR') return;
      throw error;
    }
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
      if (!isAttachmentKey(entry.name)) continue; // temp files and anything not written by put
      const key = keyPrefix + entry.name;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // Descend only where a wanted key can be.
        if (wanted.startsWith(`${key}/`) || `${key}/`.startsWith(wanted)) yield* this.walk(path, `${key}/`, wanted);
      } else if (entry.isFile() && key.startsWith(wanted)) {
        const info = await stat(path).catch(() => null);
        // A Date of this realm (fs's own can fail instanceof under Jest's module sandbox).
        if (info) yield { key, writtenAt: new Date(info.mtimeMs), size: info.size };
      }
    }
  }

  /** The file of a key; throws for a key that is empty, absolute, has `..` or anything a key of ours never has (assertAttachmentKey). */
  private pathOf(key: string): string {
    assertAttachmentKey(key);
    const path = join(this.root, ...key.split('/'));
    // Belt and braces: the segment rule already keeps it inside.
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid attachment key ${JSON.stringify(key)}`);
    return path;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT' || (error as NodeJS.ErrnoException)?.code === 'ENOTDIR';
