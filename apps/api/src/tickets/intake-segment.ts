import { PLATFORM_ROLES, takesCalls, type PlatformRole, type Segment } from '../../../../libs/domain/src';
import { badRequest } from '../common/problem';
import type { StaffIdentity } from '../identity/identity';

/** Each platform's users file in their own segment. */
const SEGMENT_OF: Record<PlatformRole, Segment> = { MUHTAR: 'MUHTAR', TRADESPERSON: 'TRADESPERSON', COUNCIL_MEMBER: 'COUNCIL_MEMBER' };

/**
 * The requester segment of a new ticket, and the platform user who submitted it. A platform
 * user's segment comes from their account, never from the body; the coordination center may
 * record a call from a muhtar or esnaf in their segment; anyone else files as a citizen.
 */
export function intakeSegment(requested: Segment | undefined, identity: StaffIdentity | null): { segment: Segment; submittedBy: string | null } {
  const platformRole = identity?.roles.find((role): role is PlatformRole => (PLATFORM_ROLES as readonly string[]).includes(role));
  if (identity && platformRole) {
    const own = SEGMENT_OF[platformRole];
    if (requested !== undefined && requested !== own) throw badRequest('segment', `comes from your account (${own}); leave it out`);
    return { segment: own, submittedBy: identity.id };
  }
  if (identity && takesCalls(identity)) return { segment: requested ?? 'CITIZEN', submittedBy: null };
  if (requested !== undefined && requested !== 'CITIZEN') {
    throw badRequest('segment', 'only the coordination center records a request in another segment; platform users sign in to their platform');
  }
  return { segment: 'CITIZEN', submittedBy: null };
}
