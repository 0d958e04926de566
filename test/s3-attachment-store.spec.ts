import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import * as fs from 'node:fs';
import { describeAttachmentStoreContract } from '../libs/attachments/src/attachment-store.contract';
import { S3AttachmentStore } from '../libs/attachments/src/s3-attachment.store';
import { startSeaweedFs, type SeaweedFsServer } from './support/seaweedfs';

/**
 * The S3 attachment store against a real S3-compatible server: SeaweedFS (`weed server` with its
 * S3 gateway), started for this suite on free loopback ports with its own key pair, and stopped
 * (its process group killed, its data removed) at the end.
 */
describe('S3 attachment store on SeaweedFS', () => {
  let seaweed: SeaweedFsServer;
  let store: S3AttachmentStore;
  const others: S3AttachmentStore[] = [];

  beforeAll(async () => {
    seaweed = await startSeaweedFs();
    store = new S3AttachmentStore(seaweed.storeSettings('teksin-attachments'));
    await store.ensureBucket();
  }, 120_000);

  afterAll(async () => {
    store?.destroy();
    for (const other of others) other.destroy();
    await seaweed?.stop();
  }, 30_000);

  describeAttachmentStoreContract('S3 (SeaweedFS)', () => store);

  it('creates a missing bucket once, and a second ensureBucket (another process starting) is harmless', async () => {
    const fresh = new S3AttachmentStore(seaweed.storeSettings('teksin-fresh-bucket'));
    others.push(fresh);
    await Promise.all([fresh.ensureBucket(), fresh.ensureBucket()]);
    await fresh.ensureBucket();
    await fresh.put('x/y', Buffer.from('in the new bucket'), 'text/plain');
    expect((await fresh.get('x/y'))!.toString()).toBe('in the new bucket');
    // Buckets are separate: the default store does not see it.
    expect(await store.get('x/y')).toBeNull();
  });

  it('signs every request: a wrong secret, an unknown key and an unsigned request are all refused', async () => {
    await store.put('signed/only.jpg', Buffer.from('secret photo'), 'image/jpeg');

    const wrongSecret = new S3AttachmentStore({ ...seaweed.storeSettings('teksin-attachments'), secretAccessKey: `${seaweed.secretAccessKey}x` });
    const unknownKey = new S3AttachmentStore({ ...seaweed.storeSettings('teksin-attachments'), accessKeyId: 'AKIAUNKNOWNKEY000000' });
    others.push(wrongSecret, unknownKey);
    // Refused, never read as "no such object" (null) or "deleted" (a quiet no-op).
    await expect(wrongSecret.get('signed/only.jpg')).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(wrongSecret.put('signed/forged.jpg', Buffer.from('forged'), 'image/jpeg')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(wrongSecret.delete('signed/only.jpg')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(unknownKey.get('signed/only.jpg')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(collect(wrongSecret.list('signed/'))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });

    // Plain HTTP without a signature: nothing readable, nothing writable.
    const url = `${seaweed.endpoint}/teksin-attachments/signed/only.jpg`;
    const anonymousGet = await fetch(url);
    expect(anonymousGet.status).toBe(403);
    expect(await anonymousGet.text()).not.toContain('secret photo');
    expect((await fetch(`${seaweed.endpoint}/teksin-attachments/signed/anon.jpg`, { method: 'PUT', body: 'anon' })).status).toBe(403);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);

    // All that left the object as it was, and nothing was forged.
    expect((await store.get('signed/only.jpg'))!.toString()).toBe('secret photo');
    expect(await store.get('signed/forged.jpg')).toBeNull();
    expect(await store.get('signed/anon.jpg')).toBeNull();
  });

  it('refuses a "directory" key, which SeaweedFS would answer with an empty object', async () => {
    await store.put('dir/photo.jpg', Buffer.from('photo'), 'image/jpeg');
    await expect(store.get('dir/')).rejects.toThrow(/is not an attachment key/);
    expect(await store.get('dir')).toBeNull();
  });

  it('a missing bucket is an error, not an empty store', async () => {
    const misconfigured = new S3AttachmentStore(seaweed.storeSettings('teksin-no-such-bucket'));
    others.push(misconfigured);
    await expect(misconfigured.get('a')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(collect(misconfigured.list())).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('runs on loopback only, with its data in its own temporary directory', async () => {
    expect(new URL(seaweed.endpoint).hostname).toBe('127.0.0.1');
    expect(fs.existsSync(seaweed.workDir)).toBe(true);
    const client = new S3Client({ endpoint: seaweed.endpoint, region: seaweed.region, forcePathStyle: true, credentials: { accessKeyId: seaweed.accessKeyId, secretAccessKey: seaweed.secretAccessKey } });
    try {
      const { Buckets } = await client.send(new ListBucketsCommand({}));
      expect(Buckets?.map((b) => b.Name)).toContain('teksin-attachments');
    } finally {
      client.destroy();
    }
  });
});

describe('the SeaweedFS test helper', () => {
  it('leaves no process and no data behind when stopped', async () => {
    const seaweed = await startSeaweedFs();
    const { pid, workDir } = seaweed;
    expect(processGroupAlive(pid)).toBe(true);
    await seaweed.stop();
    await seaweed.stop(); // twice is harmless
    expect(processGroupAlive(pid)).toBe(false);
    expect(fs.existsSync(workDir)).toBe(false);
    await expect(fetch(`${seaweed.endpoint}/healthz`)).rejects.toThrow();
  }, 120_000);
});

function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
