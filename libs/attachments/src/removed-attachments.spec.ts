import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryAttachmentStore } from './directory-attachment.store';
import { deleteRemovedAttachmentObjects, type RemovedAttachmentObjects, type RemovedAttachmentsSource } from './removed-attachments';

/** A stand-in for AttachmentsRepository's two methods: REMOVED rows, and which were marked done. */
class Rows implements RemovedAttachmentsSource {
  readonly done = new Set<string>();
  constructor(private readonly rows: RemovedAttachmentObjects[]) {}
  async removedWithObjects(limit = 500) {
    return this.rows.filter((r) => !this.done.has(r.id)).slice(0, limit);
  }
  async markObjectsDeleted(ids: string[]) {
    for (const id of ids) this.done.add(id);
  }
}

describe('deleteRemovedAttachmentObjects', () => {
  let dir: string;
  let store: DirectoryAttachmentStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'teksin-removed-'));
    store = new DirectoryAttachmentStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const row = (id: string, thumbnail = true): RemovedAttachmentObjects => ({ id, displayKey: `${id}/display.jpg`, thumbnailKey: thumbnail ? `${id}/thumbnail.jpg` : null });
  const keys = async () => {
    const out: string[] = [];
    for await (const o of store.list()) out.push(o.key);
    return out.sort();
  };

  it('deletes display and thumbnail of every REMOVED row across batches, marks them, and leaves other objects', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => row(`a${i}`, i !== 2));
    for (const r of rows) {
      await store.put(r.displayKey, Buffer.from('d'), 'image/jpeg');
      if (r.thumbnailKey) await store.put(r.thumbnailKey, Buffer.from('t'), 'image/jpeg');
    }
    await store.put('kept/display.jpg', Buffer.from('k'), 'image/jpeg');
    const source = new Rows(rows);
    expect(await deleteRemovedAttachmentObjects(source, store, 2)).toEqual({ attachments: 5, objects: 9 });
    expect(await keys()).toEqual(['kept/display.jpg']);
    expect([...source.done].sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    // Nothing left: a second run does nothing.
    expect(await deleteRemovedAttachmentObjects(source, store, 2)).toEqual({ attachments: 0, objects: 0 });
  });

  it('is idempotent after a crash: objects already deleted (the row not yet marked) are no error', async () => {
    const source = new Rows([row('b1')]);
    await store.put('b1/display.jpg', Buffer.from('d'), 'image/jpeg');
    // The thumbnail is gone already (the run that crashed deleted it).
    expect(await deleteRemovedAttachmentObjects(source, store)).toEqual({ attachments: 1, objects: 2 });
    expect(await keys()).toEqual([]);
    expect(source.done.has('b1')).toBe(true);
  });

  it('marks the rows it could finish, and throws for the others so a retry or the sweep repeats them', async () => {
    const source = new Rows([row('c1'), row('c2')]);
    const failing = {
      put: store.put.bind(store),
      get: store.get.bind(store),
      list: store.list.bind(store),
      delete: async (key: string) => {
        if (key.startsWith('c2/')) throw new Error('store unavailable');
        await store.delete(key);
      },
    };
    await expect(deleteRemovedAttachmentObjects(source, failing)).rejects.toThrow(/1 removed attachment\(s\).*c2: store unavailable/);
    expect([...source.done]).toEqual(['c1']);
    expect(await deleteRemovedAttachmentObjects(source, store)).toEqual({ attachments: 1, objects: 2 });
  });
});
