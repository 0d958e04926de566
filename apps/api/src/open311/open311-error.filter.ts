import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { toProblem } from '../common/problem-details.filter';
import { requestIdOf } from '../common/request-id.middleware';
import { Open311Error } from './open311.error';
import { errorBody, formatOfPath, sendOpen311 } from './open311.format';

const logger = new Logger('Open311');

/**
 * Every error of the Open311 routes in GeoReport's error format, JSON or XML as the path asks,
 * with its HTTP status: an Open311Error as it is, anything else (the API's own problems, a body
 * the parser refused) through the API's one mapping to a status and a message. A 500 is logged
 * under an error id, which the description quotes.
 */
export function sendOpen311Error(error: unknown, req: Request, res: Response): void {
  const path = (req.originalUrl ?? req.url).split('?')[0];
  let status: number;
  let description: string;
  if (error instanceof Open311Error) {
    status = error.status;
    description = error.message;
    if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(error.retryAfter));
  } else {
    const problem = toProblem(error, path);
    status = problem.status;
    description = problem.detail ?? problem.title;
    if (status >= 500) {
      const errorId = randomUUID();
      logger.error(`errorId=${errorId} requestId=${requestIdOf(req)} ${req.method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
      description = `Unexpected error; quote errorId ${errorId} when reporting it.`;
    }
  }
  if (res.headersSent) return;
  sendOpen311(res, formatOfPath(path), status, errorBody(status, description));
}

@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendOpen311Error(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}
