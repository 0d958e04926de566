import { BranchEntity } from './branch.entity';
import { CategoryEntity } from './category.entity';
import { CommandRequestEntity } from './command-request.entity';
import { DepartmentEntity } from './department.entity';
import { InstitutionEntity } from './institution.entity';
import { PiiReadEntity } from './pii-read.entity';
import { ReferralInstitutionEntity } from './referral-institution.entity';
import { SmsOutboxEntity } from './sms-outbox.entity';
import { StaffEntity } from './staff.entity';
import { TicketEventEntity } from './ticket-event.entity';
import { TicketFollowerEntity } from './ticket-follower.entity';
import { TicketTextEntity } from './ticket-text.entity';
import { TicketEntity } from './ticket.entity';

export {
  BranchEntity,
  CategoryEntity,
  CommandRequestEntity,
  DepartmentEntity,
  InstitutionEntity,
  PiiReadEntity,
  ReferralInstitutionEntity,
  SmsOutboxEntity,
  StaffEntity,
  TicketEventEntity,
  TicketFollowerEntity,
  TicketTextEntity,
  TicketEntity,
};
export type { OutboxStatus } from './sms-outbox.entity';
export type { CommandRequestStatus, CommandResponse } from './command-request.entity';

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
  CommandRequestEntity,
  TicketFollowerEntity,
  PiiReadEntity,
];
