import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import twilio from 'twilio';
import { APP_CONFIG, type AppConfig } from '../../../../libs/config/src';
import { forbiddenProblem } from '../common/problem';

/**
 * Every Twilio webhook proves it comes from Twilio: `X-Twilio-Signature` is checked with the
 * official SDK (`twilio.validateRequest`: HMAC-SHA1 of the URL and the sorted form parameters
 * with the account's auth token) against the URL Twilio was configured to call —
 * TWILIO_WEBHOOK_BASE_URL plus the request's path and query — never a URL rebuilt from Host or
 * X-Forwarded-* headers, which a caller controls. Missing or wrong: 403, nothing processed.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioWebhooks');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const twilioConfig = this.config.sms.twilio;
    if (!twilioConfig) throw forbiddenProblem('Twilio webhooks are not configured (SMS_GATEWAY is not twilio)');
    const signature = req.header('x-twilio-signature');
    if (!signature) throw forbiddenProblem('X-Twilio-Signature is missing');
    const params = formParams(req.body);
    if (!params) throw forbiddenProblem('the body is not Twilio’s form');
    const url = `${twilioConfig.webhookBaseUrl}${req.originalUrl}`;
    if (!twilio.validateRequest(twilioConfig.authToken, signature, url, params)) {
      this.logger.warn(`refused a Twilio webhook with a wrong signature: ${req.method} ${req.path}`);
      throw forbiddenProblem('X-Twilio-Signature does not match');
    }
    if (params.AccountSid !== undefined && params.AccountSid !== twilioConfig.accountSid) throw forbiddenProblem('another Twilio account');
    return true;
  }
}

/** The parsed form (urlencoded, every value a string), or null for anything else (JSON, nothing). */
export function formParams(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') return null;
    out[key] = value;
  }
  return out;
}
