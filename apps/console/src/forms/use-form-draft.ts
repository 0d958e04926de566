import { useCallback, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth';
import { drafts, fillForm, readForm, type Draft } from './drafts';

/**
 * Keeps one form's text as a draft of the signed-in user (forms/drafts.ts) and puts it back
 * when the form comes again (after signing in anew): spread `bind` on the <form>, call
 * `clear` after a successful send. `ready` holds the restore until the form's options are
 * there (categories, districts). `restored` says the text came back. `onRestore` gets the whole
 * draft, for a widget that keeps its value in React state (the category picker); such a widget
 * calls `save` when its value changes (no input event tells the form).
 */
export function useFormDraft(formId: string, ready = true, onRestore?: (draft: Draft) => void) {
  const { user } = useAuth();
  const userId = user?.id ?? '';
  const ref = useRef<HTMLFormElement>(null);
  const [restored, setRestored] = useState(false);
  const done = useRef(false);
  const restore = useRef(onRestore);
  restore.current = onRestore;

  useEffect(() => {
    if (!ready || done.current || !ref.current || !userId) return;
    done.current = true;
    const draft = drafts.read(userId, formId);
    if (!draft) return;
    const form = ref.current;
    const missed = fillForm(form, draft);
    // Options that depend on another field (the district's neighbourhoods) render a frame later.
    if (missed.length) requestAnimationFrame(() => fillForm(form, Object.fromEntries(missed.map((n) => [n, draft[n] ?? '']))));
    restore.current?.(draft);
    setRestored(true);
  }, [ready, userId, formId]);

  const save = useCallback(() => {
    if (ref.current && userId) drafts.save(userId, formId, readForm(ref.current));
  }, [userId, formId]);

  const clear = useCallback(() => {
    if (userId) drafts.clear(userId, formId);
    setRestored(false);
  }, [userId, formId]);

  return { bind: { ref, onInput: save, onChange: save }, restored, clear, save };
}
