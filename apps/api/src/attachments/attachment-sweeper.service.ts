import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ATTACHMENT_STORE, deleteRemovedAttachmentObjects, type AttachmentStore } from '../../../../libs/attachments/src';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { AttachmentsRepository } from '../../../../libs/database/src/attachments.repository';

/** What one pass did. */
export interface SweepResult {
  /** PENDING rows whose ATTACHED audit row existed after all: now shown. */
  attached: number;
  /** PENDING rows taken away with their files (uploads whose command never finished). */
  removedRows: number;
  /** Stored files no row names (an upload that died before its row, a delete that failed). */
  removedObjects: number;
  /** Attachments REMOVED by a KVKK erasure whose objects a retention run or an erasure left behind (it died, or the store failed), now deleted. */
  erasedAttachments: number;
}

/**
 * Removes what unfinished uploads leave behind, on the API's timer (ATTACHMENT_SWEEP_INTERVAL),
 * one process at a time (a PostgreSQL advisory lock: AttachmentsRepository.sweepPending). Only
 * what is older than ATTACHMENT_ORPHAN_AFTER is touched, so an upload in progress never is. It
 * also finishes the deletes of attachments a KVKK erasure made REMOVED (deleteRemovedAttachmentObjects).
 */
@Injectable()
export class AttachmentSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AttachmentSweeper');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly attachments: AttachmentsRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.attachments.sweepIntervalMs;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.sweep().catch((error) => this.logger.warn(`sweep failed; retrying in ${every} ms: ${String(error)}`)), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; null when another process holds the sweep's lock. */
  async sweep(now = new Date()): Promise<SweepResult | null> {
    const before = new Date(now.getTime() - this.config.attachments.orphanAfterMs);
    const pending = await this.attachments.sweepPending(before);
    if (!pending) return null;
    const erased = await deleteRemovedAttachmentObjects(this.attachments, this.store).catch((error: unknown) => {
      this.logger.warn(`erased attachments' objects not all deleted; the next pass tries again: ${String(error)}`);
      return { attachments: 0, objects: 0 };
    });
    for (const keys of pending.removed) await this.deleteQuietly([keys.displayKey, keys.thumbnailKey]);

    // Files with no row: grouped by attachment id (the key's first segment), old enough to be no upload in progress.
    const byId = new Map<string, string[]>();
    for await (const object of this.store.list()) {
      if (object.writtenAt >= before) continue;
      const id = object.key.split('/')[0];
      byId.set(id, [...(byId.get(id) ?? []), object.key]);
    }
    const known = await this.attachments.knownIds([...byId.keys()]);
    let removedObjects = 0;
    for (const [id, keys] of byId) {
      if (known.has(id)) continue;
      removedObjects += await this.deleteQuietly(keys);
    }
    const result = { attached: pending.attached, removedRows: pending.removed.length, removedObjects, erasedAttachments: erased.attachments };
    if (result.attached || result.removedRows || result.removedObjects || result.erasedAttachments) this.logger.log(`attachment sweep: ${JSON.stringify(result)}`);
    return result;
  }

  private async deleteQuietly(keys: (string | null)[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      if (!key) continue;
      await this.store
        .delete(key)
        .then(() => deleted++)
        .catch((error) => this.logger.warn(`could not delete ${key}; the next pass tries again: ${String(error)}`));
    }
    return deleted;
  }
}
