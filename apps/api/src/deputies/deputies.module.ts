import { Module } from '@nestjs/common';
import { DeputiesRepository } from '../../../../libs/database/src';
import { DeputiesController } from './deputies.controller';
import { DeputiesService } from './deputies.service';

/** /admin/deputies: deputies (vekalet) managed by an ADMIN, audited. */
@Module({
  controllers: [DeputiesController],
  providers: [DeputiesService, DeputiesRepository],
})
export class DeputiesModule {}
