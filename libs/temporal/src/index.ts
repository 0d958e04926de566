export * from './search-attributes';
export * from './task-queue';
export * from './temporal-client.module';
export * from './temporal-errors';
