import { Inject, Injectable, Logger } from '@nestjs/common';
import { ATTACHMENT_STORE, deleteRemovedAttachmentObjects, type AttachmentStore } from '../libs/attachments/src';
import { APP_CONFIG, type AppConfig } from '../libs/config/src';
import { AttachmentsRepository } from '../libs/database/src/attachments.repository';
import { PersonalDataRepository, RETENTION_BATCH } from '../libs/database/src/personal-data.repository';
import type { RetentionActivities, RetentionRunResult } from './retention-activities.contract';

/**
 * KVKK retention: the personal data of tickets closed longer ago than RETENTION_TICKET_PII is
 * replaced by the marker, batch by batch (each its own statement and erasure record), until
 * none is left (their attachments become REMOVED in the same statement, and their stored objects
 * are deleted right after); then the contact log's entries older than RETENTION_CONTACTS the same
 * way. Idempotent: an anonymised ticket or contact is never chosen again, and the objects of every
 * REMOVED attachment not yet deleted are deleted by each run (a retry after a crash included). (The activity keeps its
 * first name: renaming it would change what the retention workflow's history records.)
 */
@Injectable()
export class RetentionJobActivities implements RetentionActivities {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly personalData: PersonalDataRepository,
    private readonly attachments: AttachmentsRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async anonymiseExpiredTickets({ now }: { now: string }): Promise<RetentionRunResult> {
    const closedBefore = new Date(Date.parse(now) - this.config.retention.ticketPiiAfterCloseMs);
    const reason = `retention: closed before ${closedBefore.toISOString()} (RETENTION_TICKET_PII ${this.config.retention.ticketPiiAfterCloseMs / 86_400_000}d)`;
    const contactsBefore = new Date(Date.parse(now) - this.config.retention.contactsMs);
    const result: RetentionRunResult = {
      closedBefore: closedBefore.toISOString(),
      tickets: 0,
      texts: 0,
      outboxRows: 0,
      attachments: 0,
      attachmentObjects: 0,
      contactsBefore: contactsBefore.toISOString(),
      contacts: 0,
      erasureIds: [],
    };
    for (;;) {
      const erasure = await this.personalData.anonymiseExpiredTickets(closedBefore, reason);
      result.tickets += erasure.tickets;
      result.texts += erasure.texts;
      result.outboxRows += erasure.outboxRows;
      result.attachments! += erasure.attachments;
      result.erasureIds.push(erasure.id);
      if (erasure.tickets < RETENTION_BATCH) break;
    }
    // After the statements: the rows are REMOVED already, so a failure here leaves nothing shown
    // that is missing; the activity's retry (or the API's orphan sweep) finishes the deletes.
    result.attachmentObjects = (await deleteRemovedAttachmentObjects(this.attachments, this.store)).objects;
    const contactsReason = `retention: contacts before ${contactsBefore.toISOString()} (RETENTION_CONTACTS ${this.config.retention.contactsMs / 86_400_000}d)`;
    for (;;) {
      const erasure = await this.personalData.anonymiseExpiredContacts(contactsBefore, contactsReason);
      result.contacts += erasure.contacts;
      result.erasureIds.push(erasure.id);
      if (erasure.contacts < RETENTION_BATCH) break;
    }
    this.logger.log(
      `anonymised ${result.tickets} ticket(s) closed before ${result.closedBefore} (${result.texts} texts, ${result.outboxRows} SMS, ${result.attachments} attachments, ${result.attachmentObjects} stored objects deleted) and ${result.contacts} contact(s) before ${result.contactsBefore}`,
    );
    return result;
  }
}
