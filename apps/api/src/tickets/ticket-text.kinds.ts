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
  'ANSWER_PUBLIC',
  'QUESTION',
  'CITIZEN_ANSWER',
  'NOTE_INTERNAL',
  'NOTE_CITIZEN',
  'RESOLUTION',
  'APPROVAL_NOTE',
  'REJECTION_REASON',
  'SUMMARY',
  'SUMMARY_PUBLIC',
  'REOPEN_REASON',
] as const;
export type TextKind = (typeof TEXT_KINDS)[number];

/** Texts a citizen may read on their own ticket; everything else is for staff. */
export const CITIZEN_TEXT_KINDS: readonly TextKind[] = ['ANSWER', 'ANSWER_PUBLIC', 'QUESTION', 'CITIZEN_ANSWER', 'SUMMARY', 'SUMMARY_PUBLIC', 'REOPEN_REASON', 'NOTE_CITIZEN'];

/**
 * Texts anyone may read: staff answers written as PUBLIC (the `visibility` of finalize and
 * answer). Open311 publishes them as status notes; platform users who did not submit the ticket
 * read these and no other text of it.
 */
export const PUBLIC_TEXT_KINDS: readonly TextKind[] = ['SUMMARY_PUBLIC', 'ANSWER_PUBLIC'];
