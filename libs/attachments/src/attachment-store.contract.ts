import { randomBytes } from 'node:crypto';
import type { AttachmentStore, StoredObject } from './attachment-store';

/**
 * What every AttachmentStore must do, as Jest tests: run it against each implementation (the
 * directory store, the S3 store against a real SeaweedFS) so they stay interchangeable.
 *
 * `makeStore` is called once per test and may return the same store each time; every test
 * writes under its own random prefix, so stores need not be emptied between tests and a shared
 * bucket is fine. Not a `.spec.ts`: Jest only runs it through a suite that calls it.
 */
export function describeAttachmentStoreContract(name: string, makeStore: () => AttachmentStore | Promise<AttachmentStore>): void {
  describe(`AttachmentStore contract: ${name}`, () => {
    let store: AttachmentStore;
    let prefix: string;

    beforeEach(async () => {
      store = await makeStore();
      prefix = `contract-${randomBytes(6).toString('hex')}/`;
    });

    it('gives back exactly the bytes put, every byte value included', async () => {
      const bytes = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x00]), randomBytes(70_000)]);
      await store.put(`${prefix}photo.jpg`, bytes, 'image/jpeg');
      const back = await store.get(`${prefix}photo.jpg`);
      expect(back).toBeInstanceOf(Buffer);
      expect(back!.equals(bytes)).toBe(true);
    });

    it('keeps an empty object as an empty buffer, not as a missing one', async () => {
      await store.put(`${prefix}empty.bin`, Buffer.alloc(0), 'application/octet-stream');
      const back = await store.get(`${prefix}empty.bin`);
      expect(back).not.toBeNull();
      expect(back!.length).toBe(0);
    });

    it('replaces the object when a key is put again', async () => {
      await store.put(`${prefix}a.png`, Buffer.from('first version, longer than the second'), 'image/png');
      await store.put(`${prefix}a.png`, Buffer.from('second'), 'image/png');
      expect((await store.get(`${prefix}a.png`))!.toString()).toBe('second');
      const listed = await collect(store.list(prefix));
      expect(listed.map((o) => [o.key, o.size])).toEqual([[`${prefix}a.png`, 6]]);
    });

    it('answers null for a key never written', async () => {
      expect(await store.get(`${prefix}never-written.jpg`)).toBeNull();
      expect(await store.get(`${prefix}nested/never/written.jpg`)).toBeNull();
    });

    it('deletes an object, and deleting it again (or one never written) is not an error', async () => {
      await store.put(`${prefix}gone.pdf`, Buffer.from('%PDF-1.7'), 'application/pdf');
      await store.put(`${prefix}kept.pdf`, Buffer.from('%PDF-1.7 kept'), 'application/pdf');
      await store.delete(`${prefix}gone.pdf`);
      expect(await store.get(`${prefix}gone.pdf`)).toBeNull();
      await expect(store.delete(`${prefix}gone.pdf`)).resolves.toBeUndefined();
      await expect(store.delete(`${prefix}never-written.pdf`)).resolves.toBeUndefined();
      expect((await store.get(`${prefix}kept.pdf`))!.toString()).toBe('%PDF-1.7 kept');
      expect((await collect(store.list(prefix))).map((o) => o.key)).toEqual([`${prefix}kept.pdf`]);
    });

    it('lists exactly the keys under a prefix, each once, with its size and when it was written', async () => {
      const before = Date.now();
      const keys = [`${prefix}t1/a1/display.jpg`, `${prefix}t1/a1/thumb.jpg`, `${prefix}t1/a2/display.jpg`, `${prefix}t2/a3/display.jpg`];
      for (const [i, key] of keys.entries()) await store.put(key, randomBytes(100 + i), 'image/jpeg');
      const after = Date.now();

      const underT1 = await collect(store.list(`${prefix}t1/`));
      expect(underT1.map((o) => o.key).sort()).toEqual(keys.slice(0, 3));
      expect(Object.fromEntries(underT1.map((o) => [o.key, o.size]))).toEqual({ [keys[0]]: 100, [keys[1]]: 101, [keys[2]]: 102 });
      for (const object of underT1) {
        expect(object.writtenAt).toBeInstanceOf(Date);
        // Object stores keep whole seconds (Last-Modified): allow that rounding and a little clock skew.
        expect(object.writtenAt.getTime()).toBeGreaterThanOrEqual(before - 2000);
        expect(object.writtenAt.getTime()).toBeLessThanOrEqual(after + 2000);
      }

      // A prefix is a plain string prefix, not a directory name.
      expect((await collect(store.list(`${prefix}t1/a1`))).map((o) => o.key).sort()).toEqual(keys.slice(0, 2));
      expect((await collect(store.list(`${prefix}t3/`)))).toEqual([]);
      // Without a prefix, everything, ours included (other tests' objects may be there too).
      const all = (await collect(store.list())).map((o) => o.key);
      for (const key of keys) expect(all).toContain(key);
    });

    it('lists past one page of results without repeating or losing a key', async () => {
      // 1001 objects: S3 answers at most 1000 keys a page, so this crosses a page boundary.
      const keys = Array.from({ length: 1001 }, (_, i) => `${prefix}many/${String(i).padStart(4, '0')}`);
      const body = Buffer.from('x');
      for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, body, 'text/plain')));
      const listed = (await collect(store.list(`${prefix}many/`))).map((o) => o.key);
      expect(listed.length).toBe(keys.length);
      expect([...listed].sort()).toEqual(keys);
    }, 120_000);

    it('treats keys with slashes, dots and dashes as opaque names', async () => {
      const keys = [`${prefix}0f3c-9a/display.jpg`, `${prefix}0f3c-9a/thumb.v2.webp`, `${prefix}deep/a/b/c/d.pdf`];
      for (const key of keys) await store.put(key, Buffer.from(key), 'application/octet-stream');
      for (const key of keys) expect((await store.get(key))!.toString()).toBe(key);
      // The "directory" of a key is not an object.
      expect(await store.get(`${prefix}0f3c-9a`)).toBeNull();
      await store.delete(`${prefix}0f3c-9a/display.jpg`);
      expect((await store.get(`${prefix}0f3c-9a/thumb.v2.webp`))!.toString()).toBe(keys[1]);
      expect((await collect(store.list(prefix))).map((o) => o.key).sort()).toEqual([keys[1], keys[2]]);
    });

    it.each(['', '/a', 'a/', 'a//b', 'a/./b', 'a/../b', '..', './a', '.hidden', 'a\\b', 'a/b c', 'a/b?c', 'ü.jpg', '1/2/3/4/5/6/7/8/9'])(
      'refuses the key %j the same way for put, get and delete, touching nothing',
      async (key) => {
        const refused = /invalid attachment key/;
        await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(refused);
        await expect(store.get(key)).rejects.toThrow(refused);
        await expect(store.delete(key)).rejects.toThrow(refused);
      },
    );

    it('answers null for a key that is only the first part of other keys (a "directory")', async () => {
      await store.put(`${prefix}dir/photo.jpg`, Buffer.from('photo'), 'image/jpeg');
      expect(await store.get(`${prefix}dir`)).toBeNull();
      await expect(store.delete(`${prefix}dir`)).resolves.toBeUndefined();
      expect((await store.get(`${prefix}dir/photo.jpg`))!.toString()).toBe('photo');
    });
  });
}

async function collect(objects: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const object of objects) out.push(object);
  return out;
}
