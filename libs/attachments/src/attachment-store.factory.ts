import type { AppConfig } from '../../config/src/app-config';
import type { AttachmentStore } from './attachment-store';
import { DirectoryAttachmentStore } from './directory-attachment.store';
import { S3AttachmentStore } from './s3-attachment.store';

/** What the stores are built from: ATTACHMENT_STORE and ATTACHMENT_DIR, and ATTACHMENT_S3_* for `s3`. */
export type AttachmentStoreConfig = Pick<AppConfig, 'attachments' | 'attachmentS3'>;

/**
 * The configured store (ATTACHMENT_STORE): the directory store, or the S3-compatible object store
 * (`@aws-sdk/client-s3`). The API (uploads, files, the orphan sweep, a data subject's erasure)
 * and the worker (the KVKK retention job) each build the same one.
 */
export function createAttachmentStore(config: AttachmentStoreConfig): AttachmentStore {
  switch (config.attachments.store) {
    case 'directory':
      return new DirectoryAttachmentStore(config.attachments.dir);
    case 's3':
      // loadConfig refuses ATTACHMENT_STORE=s3 without ATTACHMENT_S3_BUCKET; a hand-made config might not.
      if (!config.attachmentS3) throw new Error('ATTACHMENT_STORE=s3 needs ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY');
      return new S3AttachmentStore(config.attachmentS3);
  }
}

/**
 * The store, ready for use: an S3 bucket that is missing is created first when
 * ATTACHMENT_S3_CREATE_BUCKET says so (development and tests by default; in production the object
 * store's operator makes it, and the application's key may not create buckets). A failure fails
 * the start, rather than every upload later.
 */
export async function openAttachmentStore(config: AttachmentStoreConfig): Promise<AttachmentStore> {
  const store = createAttachmentStore(config);
  if (store instanceof S3AttachmentStore && config.attachmentS3?.createBucket) await store.ensureBucket();
  return store;
}

/** Lets go of the store's connections (the S3 client's sockets) at shutdown; nothing for the directory store. */
export function closeAttachmentStore(store: AttachmentStore): void {
  if (store instanceof S3AttachmentStore) store.destroy();
}
