import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { urlencoded } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { sendOpen311Error } from './open311-error.filter';

/**
 * GeoReport v2 posts form-encoded bodies: parsed here for the Open311 routes only (flat names,
 * `attribute[code]` stays one name; a repeated name becomes a list, which the form reader
 * refuses), within HTTP_BODY_LIMIT and UTF-8 only. A body it cannot read is answered in the
 * spec's error format (413, 415, 400).
 */
@Injectable()
export class Open311FormMiddleware implements NestMiddleware {
  private readonly parse: ReturnType<typeof urlencoded>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.parse = urlencoded({ extended: false, limit: config.http.bodyLimit, parameterLimit: 100 });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.parse(req, res, (error?: unknown) => (error ? sendOpen311Error(error, req, res) : next()));
  }
}
