import { AdminAuditEntity } from './admin-audit.entity';
import { AttachmentEntity } from './attachment.entity';
import { ApiClientEntity } from './api-client.entity';
import { BranchEntity } from './branch.entity';
import { CategoryEntity } from './category.entity';
import { ClosureCheckEntity } from './closure-check.entity';
import { CommandRequestEntity } from './command-request.entity';
import { ContactEntity } from './contact.entity';
import { DepartmentEntity } from './department.entity';
import { DeputyEntity } from './deputy.entity';
import { InboundMessageEntity } from './inbound-message.entity';
import { InstitutionEntity } from './institution.entity';
import { PiiReadEntity } from './pii-read.entity';
import { ReferralInstitutionEntity } from './referral-institution.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { SmsOutboxEntity } from './sms-outbox.entity';
import { StaffEntity } from './staff.entity';
import { TicketEventEntity } from './ticket-event.entity';
import { TicketFollowerEntity } from './ticket-follower.entity';
import { TicketRatingEntity } from './ticket-rating.entity';
import { TicketTextEntity } from './ticket-text.entity';
import { TicketEntity } from './ticket.entity';

export {
  AdminAuditEntity,
  AttachmentEntity,
  ApiClientEntity,
  BranchEntity,
  CategoryEntity,
  ClosureCheckEntity,
  CommandRequestEntity,
  ContactEntity,
  DepartmentEntity,
  DeputyEntity,
  InboundMessageEntity,
  InstitutionEntity,
  PiiReadEntity,
  ReferralInstitutionEntity,
  RefreshTokenEntity,
  SessionEntity,
  SmsOutboxEntity,
  StaffEntity,
  TicketEventEntity,
  TicketFollowerEntity,
  TicketRatingEntity,
  TicketTextEntity,
  TicketEntity,
};
export type { OutboxStatus, SendMode } from './sms-outbox.entity';
export type { InboundMedia, InboundOutcome } from './inbound-message.entity';
export type { CitizenUnreachable } from './ticket.entity';
export type { AttachmentAddedByKind, AttachmentState } from './attachment.entity';
export type { ClosureAnswer } from './closure-check.entity';
export type { CommandRequestStatus, CommandResponse } from './command-request.entity';
export type { SessionRevokedReason } from './session.entity';
export { CONTACT_OUTCOMES, type ContactOutcome } from './contact.entity';

export const ENTITIES = [
  AttachmentEntity,
  InstitutionEntity,
  DepartmentEntity,
  BranchEntity,
  StaffEntity,
  CategoryEntity,
  ReferralInstitutionEntity,
  TicketEntity,
  TicketEventEntity,
  TicketTextEntity,
  SmsOutboxEntity,
  CommandRequestEntity,
  TicketFollowerEntity,
  PiiReadEntity,
  SessionEntity,
  RefreshTokenEntity,
  DeputyEntity,
  ApiClientEntity,
  InboundMessageEntity,
  TicketRatingEntity,
  ClosureCheckEntity,
  ContactEntity,
  AdminAuditEntity,
];
