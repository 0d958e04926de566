import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { assertAttachmentKey, type AttachmentStore, type StoredObject } from './attachment-store';

/**
 * How to reach the bucket (libs/config reads them from ATTACHMENT_S3_* into `attachmentS3`; this
 * file never reads the environment).
 */
export interface S3StoreSettings {
  /** e.g. `http://seaweedfs:8333`; null = AWS's own endpoint for the region. */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`: SeaweedFS, MinIO and most self-hosted stores want it. */
  forcePathStyle: boolean;
}

/**
 * The production store: any S3-compatible object store through @aws-sdk/client-s3, tested
 * against SeaweedFS (test/s3-attachment-store.spec.ts). A PutObject is atomic on every S3
 * implementation (a reader gets the old object or the new one, never half), which is what the
 * interface promises.
 */
export class S3AttachmentStore implements AttachmentStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3StoreSettings, client?: S3Client) {
    this.bucket = settings.bucket;
    this.client =
      client ??
      new S3Client({
        region: settings.region,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle,
        credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
        // Checksums only when the operation requires them: the SDK's default (CRC32 on every
        // request, newer trailer headers) is not understood by every S3-compatible server.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
  }

  /**
   * Creates the bucket when it is missing: for the embedded and development cases (a fresh
   * SeaweedFS). In production the bucket is made by whoever runs the object store, and the
   * application's key may well lack the right to create one; then call nothing.
   */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNotFound(error)) throw describe(error, `checking bucket ${this.bucket}`);
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // Another process created it between our check and our create: the outcome we wanted.
      const name = (error as { name?: string }).name;
      if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
      throw describe(error, `creating bucket ${this.bucket}`);
    }
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    checkKey(key);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    checkKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!answer.Body) return Buffer.alloc(0);
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** S3's DeleteObject already answers 204 for a key that is not there. */
  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: continuationToken }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, writtenAt: object.LastModified ?? new Date(0), size: object.Size ?? 0 };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  /** Closes the client's sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

/**
 * Keys as the interface means them (assertAttachmentKey, the rule both stores share). Refused
 * before anything is sent because S3-compatible stores differ exactly there: SeaweedFS answers a
 * GET of `a/` (a "directory" of its filer) with an empty 200, where S3 says NoSuchKey; `a//b` and
 * `a/../b` are normalised by some and not others. A caller never builds such a key, so one is a bug.
 */
function checkKey(key: string): void {
  assertAttachmentKey(key);
}

/**
 * NoSuchKey on GET, NotFound on HEAD (no body to name it), or another 404 — but never a missing
 * bucket: that is a misconfiguration, and reading it as "no such attachment" would hide it.
 */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'NoSuchBucket') return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  return (error as S3ServiceException).$metadata?.httpStatusCode === 404;
}

function describe(error: unknown, doing: string): Error {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new Error(`S3 attachment store: ${doing} failed: ${message}`, { cause: error });
}
