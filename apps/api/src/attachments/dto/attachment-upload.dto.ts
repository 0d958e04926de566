import { IsIn } from 'class-validator';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../../../../libs/domain/src';
import { badRequest } from '../../common/problem';
import type { AttachmentUpload } from '../attachments.service';

/** The text fields of a staff upload (the file itself is multipart field `file`). */
export class AttachmentUploadDto {
  @IsIn(ATTACHMENT_KINDS)
  kind!: AttachmentKind;

  /** The upload as the service takes it: 400 naming `file` when none came. */
  toUpload(file: Express.Multer.File | undefined): AttachmentUpload {
    if (!file || !file.buffer) throw badRequest('file', 'attach one file in the multipart field "file"');
    return { bytes: file.buffer, fileName: file.originalname, kind: this.kind, source: 'CONSOLE' };
  }
}
