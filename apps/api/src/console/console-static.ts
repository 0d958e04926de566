import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem } from '../common/problem';
import { sendProblem } from '../common/problem-details.filter';

/** Where `npm run console:build` puts the console: beside the sources, or beside the compiled API (dist/, the image). */
const CANDIDATES = [join(__dirname, '..', '..', '..', 'console', 'dist'), join(__dirname, '..', '..', '..', '..', '..', 'apps', 'console', 'dist')];

export const consoleDir = (): string | null => CANDIDATES.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;

/**
 * Serves the built staff console at /console from the API's own origin (no CORS). Its hashed
 * assets are cached for good; every other path under /console is a route of the single-page
 * app (deep links such as /console/tickets/2026-000123) and gets index.html. The global
 * Content-Security-Policy already allows what the console needs: scripts and styles from
 * 'self' (the build has no inline script or style), API calls to 'self'.
 */
export function serveConsole(app: NestExpressApplication): void {
  const dir = consoleDir();
  const logger = new Logger('Console');
  if (dir) app.useStaticAssets(join(dir, 'assets'), { prefix: '/console/assets/', index: false, immutable: true, maxAge: '365d', fallthrough: true });
  app.use('/console', (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/assets/')) return next();
    if (!dir) return sendProblem(new ApiProblem(ApiErrorCode.NOT_FOUND, 'the console is not built here: run npm run build (npm start builds it on first start)'), req, res, logger);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
