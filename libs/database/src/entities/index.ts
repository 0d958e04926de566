import { BranchEntity } from './branch.entity';
import { CategoryEntity } from './category.entity';
import { DepartmentEntity } from './department.entity';
import { DeputyEntity } from './deputy.entity';
import { InstitutionEntity } from './institution.entity';
import { ReferralInstitutionEntity } from './referral-institution.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';
import { SmsOutboxEntity } from './sms-outbox.entity';
import { StaffEntity } from './staff.entity';
import { TicketEventEntity } from './ticket-event.entity';
import { TicketTextEntity } from './ticket-text.entity';
import { TicketEntity } from './ticket.entity';

export {
  BranchEntity,
  CategoryEntity,
  DepartmentEntity,
  DeputyEntity,
  InstitutionEntity,
  ReferralInstitutionEntity,
  RefreshTokenEntity,
  SessionEntity,
  SmsOutboxEntity,
  StaffEntity,
  TicketEventEntity,
  TicketTextEntity,
  TicketEntity,
};
export type { OutboxStatus } from './sms-outbox.entity';
export type { SessionRevokedReason } from './session.entity';

export const ENTITIES = [
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
  SessionEntity,
  RefreshTokenEntity,
  DeputyEntity,
];
