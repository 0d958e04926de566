import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/src';
import { ConsoleSmsGateway } from './console-sms.gateway';
import { SmsGateway } from './sms-gateway';
import { TwilioSmsGateway } from './twilio-sms.gateway';

/** Chooses the SmsGateway from SMS_GATEWAY: `console` (default, logs) or `twilio`. */
@Global()
@Module({
  providers: [
    {
      provide: SmsGateway,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SmsGateway => {
        const twilio = config.sms.twilio;
        if (config.sms.gateway === 'twilio' && twilio) {
          return new TwilioSmsGateway({
            accountSid: twilio.accountSid,
            authToken: twilio.authToken,
            from: twilio.from,
            whatsappFrom: twilio.whatsappFrom ?? undefined,
            apiBaseUrl: twilio.apiBaseUrl ?? undefined,
            timeoutMs: 15_000,
          });
        }
        return new ConsoleSmsGateway();
      },
    },
  ],
  exports: [SmsGateway],
})
export class SmsModule {}
