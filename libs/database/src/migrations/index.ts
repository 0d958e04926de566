import { InitialSchema1764320000000 } from './1764320000000-initial-schema';
import { RequesterTextable1764500000000 } from './1764500000000-requester-textable';
import { CommandRequests1764600000000 } from './1764600000000-command-requests';
import { Identity1764680000000 } from './1764680000000-identity';
import { TicketAccess1764800000000 } from './1764800000000-ticket-access';

/** Every migration, in order. Listed explicitly so bundling or compiling never misses one. */
export const MIGRATIONS = [
  InitialSchema1764320000000,
  RequesterTextable1764500000000,
  CommandRequests1764600000000,
  Identity1764680000000,
  TicketAccess1764800000000,
];
