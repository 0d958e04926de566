import type { AttachmentsConfig } from '../../config/src/app-config';
import type { AttachmentStore } from './attachment-store';
import { DirectoryAttachmentStore } from './directory-attachment.store';

/**
 * The configured store (ATTACHMENT_STORE). `s3` is the S3-compatible object store
 * (`@aws-sdk/client-s3`); until its class lands here, choosing it fails at boot rather than
 * losing files later.
 */
export function createAttachmentStore(config: AttachmentsConfig): AttachmentStore {
  switch (config.store) {
    case 'directory':
      return new DirectoryAttachmentStore(config.dir);
    case 's3':
      throw new Error('ATTACHMENT_STORE=s3 is not available in this build yet; use directory');
  }
}
