import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/src/app-config';
import { ATTACHMENT_STORE, type AttachmentStore } from './attachment-store';
import { closeAttachmentStore, openAttachmentStore } from './attachment-store.factory';

@Injectable()
class AttachmentStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore) {}

  onApplicationShutdown(): void {
    closeAttachmentStore(this.store);
  }
}

/**
 * The configured attachment store under ATTACHMENT_STORE, for the API and the worker alike
 * (openAttachmentStore: the S3 bucket made at start where that is wanted), closed at shutdown.
 * `configToken` is the token of the AppConfig provider (libs/config's APP_CONFIG), passed in so
 * this library imports libs/config's types only.
 */
@Module({})
export class AttachmentStoreModule {
  static forRoot(configToken: string | symbol): DynamicModule {
    return {
      module: AttachmentStoreModule,
      providers: [{ provide: ATTACHMENT_STORE, inject: [configToken], useFactory: (config: AppConfig) => openAttachmentStore(config) }, AttachmentStoreCloser],
      exports: [ATTACHMENT_STORE],
    };
  }
}
