import { Module } from '@nestjs/common';
import { AttachmentStoreModule } from '../../../../libs/attachments/src';
import { APP_CONFIG } from '../../../../libs/config/src';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentSweeper } from './attachment-sweeper.service';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** A ticket's photos and documents (issue 21): the upload, the list, the files, the orphan sweep; the store from ATTACHMENT_STORE. */
@Module({
  imports: [TicketsModule, AttachmentStoreModule.forRoot(APP_CONFIG)],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentSweeper,
    AttachmentUploadInterceptor,
  ],
  exports: [AttachmentsService, AttachmentSweeper, AttachmentStoreModule],
})
export class AttachmentsModule {}
