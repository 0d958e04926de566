import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';

/**
 * C0 control characters except tab, line feed and carriage return, plus DEL. PostgreSQL refuses
 * NUL in text outright (a 500 if it got that far), and the others have no place in a citizen's
 * request, a staff note or an id: refusing them at the edge makes them a 400 naming the field.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A string with something to read (not blank) and no control characters; other types are IsString's to report. */
const IsPlainText = () =>
  ValidateBy({
    name: 'isPlainText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || (/\S/.test(value) && !CONTROL_CHARACTERS.test(value)),
      defaultMessage: (args) =>
        CONTROL_CHARACTERS.test(String(args?.value)) ? '$property must not contain control characters' : '$property must not be empty or whitespace only',
    },
  });

interface TextDoc {
  example?: string;
  description?: string;
}

/** Every DTO text field: a string, not blank, no control characters, at most `max` characters. */
export const Text = (max: number, doc: TextDoc = {}) =>
  applyDecorators(ApiProperty({ maxLength: max, ...doc }), IsString(), IsPlainText(), MaxLength(max));

/** The same, optional: absent is fine; present must pass every rule of a text field. */
export const OptionalText = (max: number, doc: TextDoc = {}) =>
  applyDecorators(ApiPropertyOptional({ maxLength: max, ...doc }), IsOptional(), IsString(), IsPlainText(), MaxLength(max));
