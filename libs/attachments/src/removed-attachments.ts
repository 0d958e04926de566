import type { AttachmentStore } from './attachment-store';

/** A REMOVED attachment's stored objects. */
export interface RemovedAttachmentObjects {
  id: string;
  displayKey: string;
  thumbnailKey: string | null;
}

/**
 * Where the REMOVED attachments whose objects are still stored are found, and marked done
 * (libs/database's AttachmentsRepository; named by shape so this library needs no database).
 */
export interface RemovedAttachmentsSource {
  removedWithObjects(limit?: number): Promise<RemovedAttachmentObjects[]>;
  markObjectsDeleted(ids: string[]): Promise<void>;
}

export interface DeletedObjects {
  /** Attachments whose objects are gone now. */
  attachments: number;
  /** Objects deleted (an object already gone counts: deleting it again is no error). */
  objects: number;
}

/**
 * Deletes the stored objects (display and thumbnail) of every REMOVED attachment not yet done,
 * batch by batch, and marks each done once all its objects are deleted. Idempotent by
 * construction: the rows became REMOVED before (in the anonymisation's statement), so no row is
 * ever ATTACHED while its objects are missing; a store's delete of a missing object succeeds; a
 * run that dies between the deletes and the mark repeats them. Called by the retention job (the
 * worker), a data subject's erasure and the orphan sweep (the API). Throws when an object could
 * not be deleted (after marking the others), so a retried activity or the next sweep tries again.
 */
export async function deleteRemovedAttachmentObjects(source: RemovedAttachmentsSource, store: AttachmentStore, batch = 200): Promise<DeletedObjects> {
  const done: DeletedObjects = { attachments: 0, objects: 0 };
  for (;;) {
    const rows = await source.removedWithObjects(batch);
    const deleted: string[] = [];
    const failures: string[] = [];
    for (const row of rows) {
      try {
        for (const key of [row.displayKey, row.thumbnailKey]) {
          if (!key) continue;
          await store.delete(key);
          done.objects++;
        }
        deleted.push(row.id);
      } catch (error) {
        failures.push(`${row.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await source.markObjectsDeleted(deleted);
    done.attachments += deleted.length;
    if (failures.length) {
      throw new Error(`could not delete the stored objects of ${failures.length} removed attachment(s); they are tried again: ${failures.slice(0, 3).join('; ')}`);
    }
    if (rows.length < batch) return done;
  }
}
