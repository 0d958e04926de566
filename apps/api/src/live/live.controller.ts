import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { LiveStreamsService } from './live-streams.service';
import { EVENT_STREAM } from './live-views.schema';

@ApiTags('live')
@Controller('events')
export class LiveController {
  constructor(private readonly streams: LiveStreamsService) {}

  @Get()
  @StaffOnly()
  @ApiOperation({
    summary:
      'The caller’s live feed (server-sent events): a change to any ticket they may open, as it happens, so the console refetches instead of polling. Authenticated by the bearer header (read it with fetch: EventSource cannot send one)',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: the events since are replayed first (or a `reset` when more than LIVE_REPLAY_LIMIT)' })
  @ApiOkResponse({ description: 'The stream, open until the session ends, the access token expires, or the API stops', content: EVENT_STREAM })
  events(@CurrentIdentity() identity: StaffIdentity, @Headers('last-event-id') lastEventId: string | undefined, @Res() res: Response) {
    return this.streams.open(identity, lastEventId, res);
  }
}
