export * from './attachment-store';
export * from './attachment.types';
export * from './attachment-error';
export * from './attachment-processor';
export * from './directory-attachment.store';
export * from './attachment-store.factory';
