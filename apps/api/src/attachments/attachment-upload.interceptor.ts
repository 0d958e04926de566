import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, badRequest } from '../common/problem';

/** The multipart field the file comes in. */
export const FILE_FIELD = 'file';

/**
 * Reads one multipart upload (field `file`, plus small text fields) into memory, and cuts the
 * upload off just past ATTACHMENT_MAX_BYTES: a 50 MB body is not read to its end before the 413.
 * Its refusals are the API's problems (413 ATTACHMENT_TOO_LARGE, 400 naming the field), never
 * multer's own errors.
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;
  private readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.attachments.maxBytes;
    this.upload = multer({
      storage: multer.memoryStorage(),
      // One byte over the limit is enough to know it is too large (the processor then refuses it with the same code).
      limits: { fileSize: this.maxBytes + 1, files: 1, fields: 5, fieldSize: 1024, parts: 8, headerPairs: 50 },
    }).single(FILE_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (!req.is('multipart/form-data')) throw badRequest(FILE_FIELD, 'send the file as multipart/form-data, in the field "file"');
    await new Promise<void>((resolve, reject) =>
      this.upload(req, http.getResponse<Response>(), (error: unknown) => (error ? reject(this.problem(error)) : resolve())),
    );
    return next.handle();
  }

  private problem(error: unknown): unknown {
    if (error instanceof MulterError) {
      if (error.code === 'LIMIT_FILE_SIZE') return new ApiProblem(ApiErrorCode.ATTACHMENT_TOO_LARGE, `the file is over ${this.maxBytes} bytes`);
      if (error.code === 'LIMIT_UNEXPECTED_FILE') return badRequest(error.field ?? FILE_FIELD, 'one file, in the field "file"');
      return badRequest(error.field ?? FILE_FIELD, error.message);
    }
    // A malformed multipart body (busboy: unexpected end, bad boundary).
    if (error instanceof Error && /multipart|boundary|unexpected end/i.test(error.message)) return badRequest(FILE_FIELD, 'the multipart body cannot be read');
    return error;
  }
}
