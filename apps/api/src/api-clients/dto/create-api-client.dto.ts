import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Text } from '../../common/text-fields';

export class CreateApiClientDto {
  @Text(200, { example: 'Mersin Büyükşehir web sitesi' })
  name: string;

  @Text(300, { example: 'Bilgi İşlem Dairesi, web@mersin.bel.tr', description: 'Who to call about this client' })
  contact: string;

  @ApiProperty({ minimum: 1, maximum: 100_000, example: 60, description: 'Requests a minute with this key (reads and creates); over it: 429' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  requestsPerMinute: number;
}
