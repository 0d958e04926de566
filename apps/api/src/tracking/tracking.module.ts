import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TrackingPageService } from './tracking-page.service';
import { TrackingController } from './tracking.controller';
import { TrackingPhotosController } from './tracking-photos.controller';
import { TrackingTokenGuard } from './tracking-token.guard';
import { TrackingPhotoService } from './tracking-photos';
import { TrackingUploadRateLimitGuard } from './tracking-upload-rate-limit.guard';

@Module({
  imports: [TicketsModule, AttachmentsModule],
  controllers: [TrackingController, TrackingPhotosController],
  providers: [TrackingPageService, TrackingPhotoService, TrackingTokenGuard, TrackingUploadRateLimitGuard],
})
export class TrackingModule {}
