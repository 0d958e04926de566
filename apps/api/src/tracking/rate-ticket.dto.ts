import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { OptionalText } from '../common/text-fields';

export class RateTicketDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 worst, 5 best' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @OptionalText(1000, { example: 'Hızlı çözüldü, teşekkürler.' })
  comment?: string;
}

/** The answer to the closure check ("is it really fixed?"): no needs the reason, as a reopening does. */
export class ClosureCheckAnswerDto {
  @ApiProperty()
  @IsBoolean()
  fixed: boolean;

  @OptionalText(2000, { example: 'Çukur yine açıldı.' })
  reason?: string;
}
