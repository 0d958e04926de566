import { InitialSchema1764320000000 } from './1764320000000-initial-schema';
import { RequesterTextable1764500000000 } from './1764500000000-requester-textable';
import { CommandRequests1764600000000 } from './1764600000000-command-requests';
import { Identity1764680000000 } from './1764680000000-identity';
import { TrackingTokenHash1764710000000 } from './1764710000000-tracking-token-hash';
import { IntakeLimits1764720000000 } from './1764720000000-intake-limits';
import { TicketAccess1764800000000 } from './1764800000000-ticket-access';
import { TicketListing1764900000000 } from './1764900000000-ticket-listing';
import { TicketListingIndexes1764900000001 } from './1764900000001-ticket-listing-indexes';
import { TicketSearchText1765000000000 } from './1765000000000-ticket-search-text';
import { PlatformLists1765000000001 } from './1765000000001-platform-lists';
import { ListingWalks1765000000002 } from './1765000000002-listing-walks';
import { ContactLog1765100000000 } from './1765100000000-contact-log';
import { CitizenChannels1765200000000 } from './1765200000000-citizen-channels';
import { AuditHashChain1765300000000 } from './1765300000000-audit-hash-chain';
import { PersonalDataRetention1765300000001 } from './1765300000001-personal-data-retention';
import { PersonalDataIndexes1765300000002 } from './1765300000002-personal-data-indexes';
import { ContactRetention1765300000003 } from './1765300000003-contact-retention';
import { Open3111765400000000 } from './1765400000000-open311';
import { IntakeIdempotency1765500000000 } from './1765500000000-intake-idempotency';
import { AnalysisFacts1765600000000 } from './1765600000000-analysis-facts';
import { PublicRequests1765700000000 } from './1765700000000-public-requests';
import { StaffOidcLink1765720000000 } from './1765720000000-staff-oidc-link';
import { RateLimitCounters1765710000000 } from './1765710000000-rate-limit-counters';
import { PiiReadsAppendOnly1765730000000 } from './1765730000000-pii-reads-append-only';
import { TrackingLinkResends1765730000001 } from './1765730000001-tracking-link-resends';
import { DeputyAdministration1765740000000 } from './1765740000000-deputy-administration';
import { TicketEventsActorIndex1765800000000 } from './1765800000000-ticket-events-actor-index';
import { CategoryCatalogue1765820000000 } from './1765820000000-category-catalogue';
import { ListRowFlags1765810000000 } from './1765810000000-list-row-flags';
import { DeadlineOrder1765810000001 } from './1765810000001-deadline-order';
import { LiveFeed1765830000000 } from './1765830000000-live-feed';
import { AnalysisChanges1765880000000 } from './1765880000000-analysis-changes';
import { Attachments1765890000000 } from './1765890000000-attachments';
import { AttachmentErasure1765900000000 } from './1765900000000-attachment-erasure';

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
  TicketSearchText1765000000000,
  PlatformLists1765000000001,
  ListingWalks1765000000002,
  ContactLog1765100000000,
  CitizenChannels1765200000000,
  AuditHashChain1765300000000,
  PersonalDataRetention1765300000001,
  PersonalDataIndexes1765300000002,
  ContactRetention1765300000003,
  Open3111765400000000,
  IntakeIdempotency1765500000000,
  AnalysisFacts1765600000000,
  PublicRequests1765700000000,
  StaffOidcLink1765720000000,
  RateLimitCounters1765710000000,
  PiiReadsAppendOnly1765730000000,
  TrackingLinkResends1765730000001,
  DeputyAdministration1765740000000,
  TicketEventsActorIndex1765800000000,
  CategoryCatalogue1765820000000,
  ListRowFlags1765810000000,
  DeadlineOrder1765810000001,
  LiveFeed1765830000000,
  AnalysisChanges1765880000000,
  Attachments1765890000000,
  AttachmentErasure1765900000000,
];
