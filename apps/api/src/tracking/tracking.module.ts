import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TrackingPageService } from './tracking-page.service';
import { TrackingController } from './tracking.controller';

@Module({
  imports: [TicketsModule],
  controllers: [TrackingController],
  providers: [TrackingPageService],
})
export class TrackingModule {}
