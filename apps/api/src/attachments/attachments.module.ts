import { Module } from '@nestjs/common';
import { ATTACHMENT_STORE, createAttachmentStore } from '../../../../libs/attachments/src';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentSweeper } from './attachment-sweeper.service';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** A ticket's photos and documents (issue 21): the upload, the list, the files, the orphan sweep; the store from ATTACHMENT_STORE. */
@Module({
  imports: [TicketsModule],
  controllers: [AttachmentsController],
  providers: [
    { provide: ATTACHMENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createAttachmentStore(config.attachments) },
    AttachmentsService,
    AttachmentSweeper,
    AttachmentUploadInterceptor,
  ],
  exports: [AttachmentsService, AttachmentSweeper, ATTACHMENT_STORE],
})
export class AttachmentsModule {}
