import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { S3AttachmentStore, type S3StoreSettings } from './s3-attachment.store';

/**
 * How the S3 store reads the SDK's answers and errors, with a stand-in client. Whether it really
 * works against an object store is test/s3-attachment-store.spec.ts (SeaweedFS).
 */
const settings: S3StoreSettings = { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true };

function storeAnswering(answer: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  const client = { send: async (command: unknown) => (sent.push(command), answer(command)) } as unknown as S3Client;
  return { store: new S3AttachmentStore(settings, client), sent };
}

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
}

describe('S3AttachmentStore', () => {
  it('reads NoSuchKey and a bare 404 as "no such object"', async () => {
    const missing = storeAnswering(() => {
      throw new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
    });
    expect(await missing.store.get('a/b')).toBeNull();
    expect(missing.sent[0]).toBeInstanceOf(GetObjectCommand);
    const bare = storeAnswering(() => {
      throw serviceError('UnknownError', 404);
    });
    expect(await bare.store.get('a/b')).toBeNull();
    await expect(bare.store.delete('a/b')).resolves.toBeUndefined();
  });

  it('does not hide a missing bucket or a refused key behind "no such object"', async () => {
    await expect(storeAnswering(() => { throw serviceError('NoSuchBucket', 404); }).store.get('a')).rejects.toThrow('NoSuchBucket');
    await expect(storeAnswering(() => { throw serviceError('SignatureDoesNotMatch', 403); }).store.get('a')).rejects.toThrow('SignatureDoesNotMatch');
    await expect(storeAnswering(() => { throw serviceError('AccessDenied', 403); }).store.delete('a')).rejects.toThrow('AccessDenied');
  });

  it('follows continuation tokens until the listing is complete', async () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const pages: Record<string, unknown> = {
      first: { IsTruncated: true, NextContinuationToken: 't2', Contents: [{ Key: 'p/1', Size: 1, LastModified: at }] },
      t2: { IsTruncated: true, NextContinuationToken: 't3', Contents: [] },
      t3: { IsTruncated: false, Contents: [{ Key: 'p/2', Size: 2, LastModified: at }] },
    };
    const { store, sent } = storeAnswering((command) => pages[(command as ListObjectsV2Command).input.ContinuationToken ?? 'first']);
    const listed = [];
    for await (const object of store.list('p/')) listed.push(object);
    expect(listed).toEqual([{ key: 'p/1', size: 1, writtenAt: at }, { key: 'p/2', size: 2, writtenAt: at }]);
    expect(sent).toHaveLength(3);
    expect((sent[0] as ListObjectsV2Command).input).toMatchObject({ Bucket: 'b', Prefix: 'p/' });
  });

  it('creates the bucket only when it is missing, and accepts losing the race to create it', async () => {
    const existing = storeAnswering(() => ({}));
    await existing.store.ensureBucket();
    expect(existing.sent.map((c) => c!.constructor.name)).toEqual(['HeadBucketCommand']);

    const racing = storeAnswering((command) => {
      if (command!.constructor.name === 'HeadBucketCommand') throw serviceError('NotFound', 404);
      throw serviceError('BucketAlreadyOwnedByYou', 409);
    });
    await racing.store.ensureBucket();
    expect(racing.sent.map((c) => c!.constructor.name)).toEqual(['HeadBucketCommand', 'CreateBucketCommand']);

    const refused = storeAnswering(() => { throw serviceError('AccessDenied', 403); });
    await expect(refused.store.ensureBucket()).rejects.toThrow(/checking bucket b failed: AccessDenied/);
  });

  it('refuses keys that S3-compatible stores read differently, before sending anything', async () => {
    const { store, sent } = storeAnswering(() => ({}));
    for (const key of ['', 'a/', '/a', 'a//b', 'a/../b', './a', 'a\\b']) {
      await expect(store.get(key)).rejects.toThrow(/is not an attachment key/);
      await expect(store.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/is not an attachment key/);
      await expect(store.delete(key)).rejects.toThrow(/is not an attachment key/);
    }
    expect(sent).toEqual([]);
    await store.put('0f3c-9a/display.v2.jpg', Buffer.from('x'), 'image/jpeg');
    expect(sent).toHaveLength(1);
  });
});
