import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { urlencoded } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { sendOpen311Error } from './open311-error.filter';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem } from '../common/problem';
import { Open311Error } from './open311.error';

/** The multipart field of a POST's photo (GeoReport clients send `media`). */
export const OPEN311_MEDIA_FIELD = 'media';

/**
 * GeoReport v2 posts form-encoded bodies: parsed here for the Open311 routes only (flat names,
 * `attribute[code]` stays one name; a repeated name becomes a list, which the form reader
 * refuses), within HTTP_BODY_LIMIT and UTF-8 only. A body it cannot read is answered in the
 * spec's error format (413, 415, 400). A POST may also come as multipart/form-data, as client
 * libraries send a photo: the same fields, and one file in `media` (in memory, cut off just past
 * ATTACHMENT_MAX_BYTES).
 */
@Injectable()
export class Open311FormMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof urlencoded>;
  private readonly multipart: ReturnType<ReturnType<typeof multer>['single']>;
  private readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.parse = urlencoded({ extended: false, limit: config.http.bodyLimit, parameterLimit: 100 });
    this.maxBytes = config.attachments.maxBytes;
    this.multipart = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: this.maxBytes + 1, files: 1, fields: 100, fieldSize: 64 * 1024, parts: 101, headerPairs: 50 },
    }).single(OPEN311_MEDIA_FIELD);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.is('multipart/form-data')) {
      this.multipart(req, res, (error?: unknown) => (error ? sendOpen311Error(this.multipartError(error), req, res) : next()));
      return;
    }
    this.parse(req, res, (error?: unknown) => (error ? sendOpen311Error(error, req, res) : next()));
  }

  private multipartError(error: unknown): unknown {
    if (error instanceof MulterError) {
      if (error.code === 'LIMIT_FILE_SIZE') return new ApiProblem(ApiErrorCode.ATTACHMENT_TOO_LARGE, `media: the file is over ${this.maxBytes} bytes`);
      return new Open311Error(400, `${error.field ?? OPEN311_MEDIA_FIELD}: ${error.code === 'LIMIT_UNEXPECTED_FILE' ? 'one file, in the field "media"' : error.message}`);
    }
    return new Open311Error(400, 'the multipart body cannot be read');
  }
}
