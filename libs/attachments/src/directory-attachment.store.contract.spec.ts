import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAttachmentStoreContract } from './attachment-store.contract';
import { DirectoryAttachmentStore } from './directory-attachment.store';

/** The directory store against the contract the S3 store passes on SeaweedFS (test/s3-attachment-store.spec.ts): the two stay interchangeable. */
const dir = mkdtempSync(join(tmpdir(), 'teksin-attachment-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeAttachmentStoreContract('directory', () => new DirectoryAttachmentStore(dir));
