import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TrackingPageService } from './tracking-page.service';
import { TrackingController } from './tracking.controller';
import { TrackingPhotosController } from './tracking-photos.controller';
import { TrackingPhotoService } from './tracking-photos';

@Module({
  imports: [TicketsModule],
  controllers: [TrackingController, TrackingPhotosController],
  providers: [TrackingPageService, TrackingPhotoService],
})
export class TrackingModule {}
