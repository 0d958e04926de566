import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { CHANNELS, SEGMENTS, TICKET_TYPES, type Channel, type Segment, type TicketType } from '../../../../../libs/domain/src';
import { normalizePhone } from '../../common/turkish-phone';

export const DESCRIPTION_MAX = 4000;

@ValidatorConstraint({ name: 'phone' })
class IsE164Phone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /^\+\d{8,15}$/.test(value);
  }
  defaultMessage(): string {
    return 'phone must be a valid phone number, e.g. 0532 123 45 67 or +90 532 123 45 67';
  }
}

export class RequesterDto {
  @ApiProperty({ example: 'Ahmet Yılmaz', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '0532 123 45 67', description: 'Any common Turkish form; stored as E.164' })
  @Transform(({ value }) => normalizePhone(value) ?? value)
  @IsString()
  @Validate(IsE164Phone)
  phone: string;
}

export class LocationDto {
  @ApiPropertyOptional({ example: 'Yenişehir' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ example: 'Menteş' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  neighbourhood?: string;

  @ApiPropertyOptional({ example: '1234. Sokak No: 5' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ example: 36.7871 })
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ example: 34.5834 })
  @IsOptional()
  @IsLongitude()
  lng?: number;
}

/** The intake contract (fixed: other tools are written against it). */
export class CreateTicketDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiProperty({ enum: TICKET_TYPES })
  @IsIn(TICKET_TYPES)
  type: TicketType;

  @ApiProperty({ example: 'ROAD_REPAIR', description: 'A code from GET /categories' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  category: string;

  @ApiPropertyOptional({ enum: SEGMENTS, default: 'CITIZEN' })
  @IsOptional()
  @IsIn(SEGMENTS)
  segment?: Segment;

  @ApiPropertyOptional({ enum: ['tr', 'en'], default: 'tr', description: 'Language of the SMS the citizen receives' })
  @IsOptional()
  @IsIn(['tr', 'en'])
  language?: 'tr' | 'en';

  @ApiProperty({ type: RequesterDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RequesterDto)
  requester: RequesterDto;

  @ApiProperty({ example: 'Sokağımızdaki çukur iki haftadır kapatılmadı.', maxLength: DESCRIPTION_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX)
  description: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}
