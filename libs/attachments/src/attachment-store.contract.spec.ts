import { assertAttachmentKey, type AttachmentStore, type StoredObject } from './attachment-store';
import { describeAttachmentStoreContract } from './attachment-store.contract';

/**
 * A unit test of the contract itself: a plain in-memory store passes it. Never a substitute for
 * running the contract against the real stores (test/s3-attachment-store.spec.ts: SeaweedFS).
 */
class MemoryAttachmentStore implements AttachmentStore {
  private readonly objects = new Map<string, StoredObject & { bytes: Buffer }>();

  async put(key: string, bytes: Buffer): Promise<void> {
    assertAttachmentKey(key);
    this.objects.set(key, { key, bytes: Buffer.from(bytes), size: bytes.length, writtenAt: new Date() });
  }

  async get(key: string): Promise<Buffer | null> {
    assertAttachmentKey(key);
    const object = this.objects.get(key);
    return object ? Buffer.from(object.bytes) : null;
  }

  async delete(key: string): Promise<void> {
    assertAttachmentKey(key);
    this.objects.delete(key);
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    for (const { key, size, writtenAt } of [...this.objects.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (key.startsWith(prefix)) yield { key, size, writtenAt };
    }
  }
}

const shared = new MemoryAttachmentStore();
describeAttachmentStoreContract('in-memory (checks the contract itself)', () => shared);
