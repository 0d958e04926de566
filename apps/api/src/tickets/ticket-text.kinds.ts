/**
 * Kinds of free text the API stores in `ticket_texts` for a command (the workflow sees only
 * the row's id). The kind decides who may read it.
 */
export const TEXT_KINDS = [
  'TRIAGE_NOTE',
  'RETURN_REASON',
  'REFERRAL_NOTE',
  'REJECT_NOTE',
  'ANSWER',
  'QUESTION',
  'CITIZEN_ANSWER',
  'NOTE_INTERNAL',
  'NOTE_CITIZEN',
  'RESOLUTION',
  'APPROVAL_NOTE',
  'REJECTION_REASON',
  'SUMMARY',
  'REOPEN_REASON',
] as const;
export type TextKind = (typeof TEXT_KINDS)[number];

/** Texts a citizen may read on their own ticket; everything else is for staff. */
export const CITIZEN_TEXT_KINDS: readonly TextKind[] = ['ANSWER', 'QUESTION', 'CITIZEN_ANSWER', 'SUMMARY', 'REOPEN_REASON', 'NOTE_CITIZEN'];
