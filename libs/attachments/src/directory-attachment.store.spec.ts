import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryAttachmentStore } from './directory-attachment.store';

describe('DirectoryAttachmentStore', () => {
  let dir: string;
  let store: DirectoryAttachmentStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'teksin-attachments-'));
    store = new DirectoryAttachmentStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const all = async (prefix?: string) => {
    const keys: string[] = [];
    for await (const object of store.list(prefix)) keys.push(object.key);
    return keys.sort();
  };

  it('puts, gets, overwrites, lists and deletes', async () => {
    await store.put('a1/display.jpg', Buffer.from('one'), 'image/jpeg');
    await store.put('a1/thumbnail.jpg', Buffer.from('t'), 'image/jpeg');
    await store.put('b2/display.pdf', Buffer.from('pdf'), 'application/pdf');
    expect((await store.get('a1/display.jpg'))!.toString()).toBe('one');
    await store.put('a1/display.jpg', Buffer.from('two'), 'image/jpeg');
    expect((await store.get('a1/display.jpg'))!.toString()).toBe('two');
    expect(await all()).toEqual(['a1/display.jpg', 'a1/thumbnail.jpg', 'b2/display.pdf']);
    expect(await all('a1/')).toEqual(['a1/display.jpg', 'a1/thumbnail.jpg']);
    const [first] = await (async () => { const out = []; for await (const o of store.list('b2/')) out.push(o); return out; })();
    expect({ key: first.key, size: first.size }).toEqual({ key: 'b2/display.pdf', size: 3 });
    expect(Math.abs(first.writtenAt.getTime() - Date.now())).toBeLessThan(60_000);

    await store.delete('a1/display.jpg');
    await store.delete('a1/display.jpg'); // not there: not an error
    expect(await store.get('a1/display.jpg')).toBeNull();
    await store.delete('a1/thumbnail.jpg');
    // The attachment's folder goes with its last object.
    expect(await readdir(dir)).toEqual(['b2']);
  });

  it('answers null for a missing object and lists nothing in a directory that does not exist yet', async () => {
    expect(await store.get('nope/display.jpg')).toBeNull();
    const fresh = new DirectoryAttachmentStore(join(dir, 'not-yet'));
    const keys = [];
    for await (const o of fresh.list()) keys.push(o);
    expect(keys).toEqual([]);
  });

  it.each(['../escape.jpg', 'a/../../escape.jpg', '/etc/passwd', '', 'a//b', 'a/./b', '.hidden', 'a\\..\\b', 'a/b c', '..'])('refuses the key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/invalid attachment key/);
    await expect(store.get(key)).rejects.toThrow(/invalid attachment key/);
    await expect(store.delete(key)).rejects.toThrow(/invalid attachment key/);
  });

  it('never shows a half-written object: temp files are hidden until renamed', async () => {
    await store.put('c3/display.jpg', Buffer.from('whole'), 'image/jpeg');
    await writeFile(join(dir, 'c3', '.deadbeef.tmp'), 'half');
    expect(await all()).toEqual(['c3/display.jpg']);
    // No temp file is left by a write.
    await store.put('c3/display.jpg', Buffer.alloc(1024 * 1024, 1), 'image/jpeg');
    expect((await readdir(join(dir, 'c3'))).filter((f) => f.endsWith('.tmp') && f !== '.deadbeef.tmp')).toEqual([]);
  });
});
