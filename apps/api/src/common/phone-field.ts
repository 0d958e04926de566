import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { normalizePhone } from './turkish-phone';

/**
 * A phone number in any common Turkish form, stored as E.164. Normalisation runs first; a value
 * it could not normalise stays as sent and fails here, so only a number libphonenumber calls
 * valid gets through (not merely anything shaped like +<digits>).
 */
export const PhoneField = () =>
  applyDecorators(
    ApiProperty({ example: '0532 123 45 67', description: 'Any common Turkish form; stored as E.164' }),
    Transform(({ value }) => normalizePhone(value) ?? value),
    ValidateBy({
      name: 'isPhone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalizePhone(value) === value,
        defaultMessage: () => '$property must be a valid phone number, e.g. 0532 123 45 67 or +90 532 123 45 67',
      },
    }),
  );
