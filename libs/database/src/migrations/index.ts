import { InitialSchema1764320000000 } from './1764320000000-initial-schema';
import { RequesterTextable1764500000000 } from './1764500000000-requester-textable';
import { CommandRequests1764600000000 } from './1764600000000-command-requests';
import { Identity1764680000000 } from './1764680000000-identity';
import { TrackingTokenHash1764710000000 } from './1764710000000-tracking-token-hash';
import { IntakeLimits1764720000000 } from './1764720000000-intake-limits';
import { TicketAccess1764800000000 } from './1764800000000-ticket-access';
import { TicketListing1764900000000 } from './1764900000000-ticket-listing';
import { TicketListingIndexes1764900000001 } from './1764900000001-ticket-listing-indexes';
import { ContactLog1765100000000 } from './1765100000000-contact-log';

/** Every migration, in order. Listed explicitly so bundling or compiling never misses one. */
export const MIGRATIONS = [
  InitialSchema1764320000000,
  RequesterTextable1764500000000,
  CommandRequests1764600000000,
  Identity1764680000000,
  TrackingTokenHash1764710000000,
  IntakeLimits1764720000000,
  TicketAccess1764800000000,
  TicketListing1764900000000,
  TicketListingIndexes1764900000001,
  ContactLog1765100000000,
];
