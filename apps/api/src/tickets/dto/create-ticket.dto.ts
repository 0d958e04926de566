import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsNumber, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { CHANNELS, SEGMENTS, TICKET_TYPES, type Channel, type Segment, type TicketType } from '../../../../../libs/domain/src';
import { PhoneField } from '../../common/phone-field';
import { OptionalText, Text } from '../../common/text-fields';

export const DESCRIPTION_MAX = 4000;

/**
 * A coordinate is a JSON number within ±limit. (IsLatitude/IsLongitude would also take the string
 * "36.7871", and refuse a number JavaScript writes with an exponent, such as 1e-7.)
 */
const Coordinate = (limit: number, example: number) =>
  applyDecorators(ApiPropertyOptional({ example, minimum: -limit, maximum: limit }), IsOptional(), IsNumber({ allowNaN: false, allowInfinity: false }), Min(-limit), Max(limit));

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

  @Coordinate(90, 36.7871)
  lat?: number;

  @Coordinate(180, 34.5834)
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

  @ApiPropertyOptional({
    description:
      'The citizen agrees to make the request public: Open311 then lists it (category, neighbourhood, rounded position, status, ' +
      'public answers; never the requester, the description or the address). Default: true for WEB (the city’s web form), false for every other channel',
  })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}
