import { Module } from '@nestjs/common';
import { LiveController } from './live.controller';
import { LiveEventsRepository } from '../../../../libs/database/src/live-events.repository';
import { LiveFeedListener } from '../../../../libs/database/src/live-feed.listener';
import { LiveHub } from './live-hub.service';
import { LiveStreamsService } from './live-streams.service';

/** The console's live feed: GET /events, server-sent events fed by PostgreSQL LISTEN/NOTIFY. */
@Module({
  controllers: [LiveController],
  providers: [LiveFeedListener, LiveEventsRepository, LiveHub, LiveStreamsService],
  exports: [LiveHub],
})
export class LiveModule {}
