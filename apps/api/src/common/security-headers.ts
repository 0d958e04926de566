import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

type WithNonce = ServerResponse & { locals?: { cspNonce?: string } };

/** The nonce of this response's Content-Security-Policy: an inline <script> or <style> of an HTML page must carry it. */
export const cspNonce = (res: Response): string => (res as WithNonce).locals!.cspNonce!;

/** Swagger UI's page has inline styles (its own, not ours) and no inline script. */
const isDocs = (req: IncomingMessage) => /^\/docs(\/|$)/.test(req.url ?? '');

/**
 * Security headers on every response (helmet), with a Content-Security-Policy that allows only
 * the API's own origin, no framing (`frame-ancestors 'none'`), and inline script or style only
 * with this response's nonce. Swagger UI at /docs loads its scripts from files, so only its
 * styles need `'unsafe-inline'` there (a nonce in the same directive would switch that off).
 * Images may also come from `tileOrigin`, the one host the console's maps load their tiles from
 * (MAP_TILE_URL): exactly that origin, nothing broader.
 */
export function securityHeaders(tileOrigin: string | null = null) {
  const nonce = (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const withNonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as WithNonce).locals!.cspNonce}'`;
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'none'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', ...(tileOrigin ? [tileOrigin] : [])],
        'object-src': ["'none'"],
        'script-src': ["'self'", withNonce],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", (req, res) => (isDocs(req) ? "'unsafe-inline'" : withNonce(req, res))],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return [nonce, headers] as const;
}
