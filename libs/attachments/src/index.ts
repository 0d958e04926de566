export * from './attachment-store';
export * from './attachment.types';
