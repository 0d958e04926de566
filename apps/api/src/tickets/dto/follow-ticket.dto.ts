import { OptionalText } from '../../common/text-fields';

export class FollowTicketDto {
  @OptionalText(64, { example: 'meclis.hakan', description: 'The platform user to add (coordination center); omit to follow it yourself (platform users)' })
  userId?: string;
}
