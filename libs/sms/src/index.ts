export * from './sms-gateway';
export * from './mask-phone';
export * from './mask-tracking-token';
export * from './console-sms.gateway';
export * from './twilio-sms.gateway';
export * from './notification-templates';
export * from './sms-segments';
