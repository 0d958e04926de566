import { LISTING_INDEXES } from './migrations/1764900000001-ticket-listing-indexes';
import { SEARCH_TEXT_INDEX } from './migrations/1765000000000-ticket-search-text';
import { LISTING_WALK_INDEXES } from './migrations/1765000000002-listing-walks';
import { DEADLINE_ORDER_INDEXES } from './migrations/1765810000001-deadline-order';

/** The indexes the lists use today, as the migrations leave them (bench/listing builds these after its bulk load). */
export const CURRENT_LISTING_INDEXES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(LISTING_INDEXES).filter(([name]) => name !== 'tickets_search_trgm_idx')),
  ...SEARCH_TEXT_INDEX,
  ...LISTING_WALK_INDEXES,
  ...DEADLINE_ORDER_INDEXES,
};
