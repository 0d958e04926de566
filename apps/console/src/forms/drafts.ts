/*
 * A worker's words survive an expired session: each form's text is kept as it is typed, per
 * signed-in user and form (the intake form, a ticket's action form), in sessionStorage (the
 * tab's own, like the session tokens: gone when the tab closes). A successful send clears its
 * form's draft; signing out clears every draft (no caller's name, phone or words stay behind),
 * and so does another person signing in on the tab.
 */

const PREFIX = 'teksin.console.draft.';
const key = (userId: string, formId: string) => `${PREFIX}${encodeURIComponent(userId)}.${formId}`;

export type Draft = Record<string, string>;

export const drafts = {
  read(userId: string, formId: string): Draft | null {
    const raw = sessionStorage.getItem(key(userId, formId));
    if (!raw) return null;
    try {
      return JSON.parse(raw) as Draft;
    } catch {
      return null;
    }
  },
  has(userId: string, formId: string): boolean {
    return sessionStorage.getItem(key(userId, formId)) !== null;
  },
  save(userId: string, formId: string, draft: Draft): void {
    const filled = Object.values(draft).some((v) => v.trim() !== '');
    if (filled) sessionStorage.setItem(key(userId, formId), JSON.stringify(draft));
    else sessionStorage.removeItem(key(userId, formId));
  },
  clear(userId: string, formId: string): void {
    sessionStorage.removeItem(key(userId, formId));
  },
  /** Every draft, or every draft but `keepUserId`'s (another person signed in on this tab). */
  clearAll(keepUserId?: string): void {
    const keep = keepUserId === undefined ? null : `${PREFIX}${encodeURIComponent(keepUserId)}.`;
    for (const k of Object.keys(sessionStorage)) {
      if (k.startsWith(PREFIX) && !(keep && k.startsWith(keep))) sessionStorage.removeItem(k);
    }
  },
};

type Fillable = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const fillable = (el: Element): el is Fillable =>
  (el instanceof HTMLInputElement && !['hidden', 'password', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(el.type)) ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement;

/** A value a widget keeps in a hidden input marked `data-draft` (the category picker's choice): saved, and given back through `onRestore`. */
const widgetValue = (el: Element): el is HTMLInputElement => el instanceof HTMLInputElement && el.type === 'hidden' && el.dataset.draft !== undefined;

/** A form's named text fields (and widget values) as they stand. */
export function readForm(form: HTMLFormElement): Draft {
  const draft: Draft = {};
  for (const el of Array.from(form.elements)) if ((fillable(el) || widgetValue(el)) && el.name) draft[el.name] = el.value;
  return draft;
}

/**
 * Puts a draft back into a form, through the elements' own value setters and input/change
 * events, so React's controlled fields take it as if typed. Returns the names that did not take
 * (a neighbourhood whose district's options are not rendered yet), for a second pass.
 */
export function fillForm(form: HTMLFormElement, draft: Draft): string[] {
  const missed: string[] = [];
  for (const [name, value] of Object.entries(draft)) {
    const el = form.elements.namedItem(name);
    if (!(el instanceof Element) || !fillable(el) || el.value === value) continue;
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
    setter?.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    if (el.value !== value) missed.push(name);
  }
  return missed;
}
