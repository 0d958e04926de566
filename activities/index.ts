export * from './ticket-activities.contract';
export * from './create-activities';
export * from './notification.activities';
export * from './organisation.activities';
export * from './ticket-projection.activities';
export * from './outbox-delivery';
export * from './outbox-reconciler.service';
export * from './send-rate-limiter';
