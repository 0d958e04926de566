import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { urlencoded, type NextFunction, type Request, type Response } from 'express';
import { createLogger, loadConfig, type AppConfig } from '../../../libs/config/src';
import { ApiModule } from './app.module';
import { BEARER_SCHEME } from './identity/identity.decorators';
import { ProblemDetailsFilter, sendProblem } from './common/problem-details.filter';
import { requestIdMiddleware } from './common/request-id.middleware';
import { securityHeaders } from './common/security-headers';
import { serveConsole } from './console/console-static';
import { RouteInputPipe } from './common/route-input.pipe';
import { createValidationPipe } from './common/validation.pipe';

/**
 * Builds the HTTP application with everything the edge needs: request ids, security headers
 * (CSP), a body size limit, strict validation, problem+json errors and OpenAPI at /docs. Used by main.ts and the tests.
 */
export async function createApiApp(config: AppConfig = loadConfig()): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    logger: createLogger(config, 'api'),
  });
  const errorLogger = new Logger('Errors');
  if (config.auth.tokenSecretGenerated) {
    new Logger('Auth').warn('AUTH_TOKEN_SECRET is not set: signing access tokens with a throwaway key (development/test only; tokens die with this process)');
  }
  app.use(requestIdMiddleware());
  app.use(...securityHeaders(config.map.tileOrigin));
  // Which proxies may name the client (X-Forwarded-For): the address the intake limits count.
  app.set('trust proxy', config.http.trustProxy);
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  // Twilio's webhooks post forms (application/x-www-form-urlencoded); no other route reads one.
  app.use('/webhooks/twilio', urlencoded({ extended: false, limit: config.http.bodyLimit }));
  // body-parser failures (413 too large, 400 malformed JSON) never reach Nest's filters.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => (error ? sendProblem(error, req, res, errorLogger) : next()));
  app.disable('x-powered-by');
  // The staff console (apps/console, built by npm run build) at /console.
  serveConsole(app);
  // Route parameters and query strings first: a malformed ticket number never reaches a query.
  app.useGlobalPipes(new RouteInputPipe(), createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}

/** The OpenAPI document of the API (served at /docs/json; the console's client is generated from it). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Teksin API')
      .setDescription('Citizen requests from every channel, one durable workflow per ticket. Errors are application/problem+json (RFC 9457).')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /auth/login (or the configured OIDC issuer)' }, BEARER_SCHEME)
      .build(),
  );
}
