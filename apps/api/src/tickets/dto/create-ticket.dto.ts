import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsLatitude, IsLongitude, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { CHANNELS, SEGMENTS, TICKET_TYPES, type Channel, type Segment, type TicketType } from '../../../../../libs/domain/src';
import { PhoneField } from '../../common/phone-field';
import { OptionalText, Text } from '../../common/text-fields';

export const DESCRIPTION_MAX = 4000;

export class RequesterDto {
  @Text(200, { example: 'Ahmet Yılmaz' })
  name: string;

  @PhoneField()
  phone: string;
}

export class LocationDto {
  @OptionalText(100, { example: 'Yenişehir' })
  district?: string;

  @OptionalText(100, { example: 'Menteş' })
  neighbourhood?: string;

  @OptionalText(500, { example: '1234. Sokak No: 5' })
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

  @Text(64, { example: 'ROAD_REPAIR', description: 'A code from GET /categories' })
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

  @Text(DESCRIPTION_MAX, { example: 'Sokağımızdaki çukur iki haftadır kapatılmadı.' })
  description: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}
