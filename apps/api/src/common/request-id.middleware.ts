import { Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[\w.:-]{1,100}$/;

/** The current request's id, wherever the code runs within that request. */
const requestContext = new AsyncLocalStorage<{ id: string; fromClient: boolean }>();
export const currentRequestId = (): string | undefined => requestContext.getStore()?.id;
/** The caller's own X-Request-Id (accepted as sane), or undefined when the API made one up. */
export const clientRequestId = (): string | undefined => {
  const store = requestContext.getStore();
  return store?.fromClient ? store.id : undefined;
};

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new UUID),
 * echoes it in the response and logs one line per request with it, method, path, status
 * and duration. Error responses carry the same id, so a citizen's complaint can be traced.
 */
export function requestIdMiddleware() {
  const logger = new Logger('HTTP');
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const fromClient = !!incoming && SAFE_ID.test(incoming);
    const id = fromClient ? incoming : randomUUID();
    (req as Request & { id: string }).id = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = `${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(1)}ms requestId=${id}`;
      if (res.statusCode >= 500) logger.error(line);
      else logger.log(line);
    });
    requestContext.run({ id, fromClient }, next);
  };
}

export const requestIdOf = (req: unknown): string | undefined => (req as { id?: string }).id;
