import { MinLength } from 'class-validator';
import { PhoneField } from '../../common/phone-field';
import { Text } from '../../common/text-fields';

/** POST /audit/subjects/erase: whose tickets, and why (recorded with the erasure). */
export class EraseSubjectDto {
  @PhoneField()
  phone: string;

  @Text(1000, { example: 'KVKK m.11 başvurusu 2026/17', description: 'Why the data is erased early (at least 10 characters): the request’s reference' })
  @MinLength(10)
  reason: string;
}
