export * from './entities';
export * from './data-source';
export * from './database.module';
export * from './organisation.repository';
export * from './migrate';
export * from './seed';
export * from './prepare-database';
export * from './password';
