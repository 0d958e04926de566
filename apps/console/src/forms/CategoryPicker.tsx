import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { searchCategories, type SearchableCategory } from './category-search';
import { FieldError } from './form-kit';

/** A category as the picker offers it: what the search matches (names in both languages, the code, keywords) and its option's text. */
export interface CategoryChoice extends SearchableCategory {
  /** The option's text (name, department, SLA) in the console's language. */
  label: string;
}

interface CategoryPickerProps {
  choices: CategoryChoice[];
  /** The chosen code; '' until someone chooses. */
  value: string;
  onChange(code: string): void;
  /** Shown under the list, e.g. the chosen category's department and SLA. */
  info?: string;
  error?: string;
}

const optionId = (code: string) => `category-option-${code}`;

/**
 * The intake's category picker: a search box (ARIA combobox) over a list (ARIA listbox) that is
 * always open. Nothing is chosen until someone chooses (a click, Enter or Space): a highlighted
 * option is only where the keyboard is. Typing highlights the first match, so "kaldırım" + Enter
 * chooses it; ArrowDown/ArrowUp move the highlight (the first ArrowDown lands on the highlighted
 * option, it does not skip it), from the search box or from the list.
 */
export function CategoryPicker({ choices, value, onChange, info, error }: CategoryPickerProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState<string | null>(null);
  // Whether the highlight was put there by the arrows (then Space chooses; otherwise Space types).
  const [navigated, setNavigated] = useState(false);

  // Best fit first (forms/category-search.ts: Turkish letters folded, keywords ranked).
  const shown = useMemo(() => searchCategories(choices, filter), [choices, filter]);
  const activeIndex = active === null ? -1 : shown.findIndex((c) => c.code === active);
  /** The code of the shown option at `index`, if there is one. */
  const codeAt = (index: number): string | null => shown[index]?.code ?? null;

  useEffect(() => {
    if (active) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  function search(text: string) {
    setFilter(text);
    setNavigated(false);
    const first = text.trim() ? searchCategories(choices, text)[0] : undefined;
    setActive(first?.code ?? null);
  }

  function choose(code: string | null) {
    if (code) onChange(code);
  }

  /** The keys both the search box and the list share; true when handled. */
  function navigate(event: KeyboardEvent<HTMLElement>): boolean {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!shown.length) return true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      // The first arrow lands on the highlight the search made (or the first option): it never skips it.
      const next = activeIndex < 0 ? (step > 0 ? 0 : shown.length - 1) : navigated ? Math.min(shown.length - 1, Math.max(0, activeIndex + step)) : activeIndex;
      setActive(codeAt(next));
      setNavigated(true);
      return true;
    }
    if (event.key === 'Enter' && !(event.ctrlKey || event.metaKey)) {
      // Ctrl+Enter still submits the form; a plain Enter chooses the highlighted option.
      choose(codeAt(activeIndex));
      return true;
    }
    if (event.key === 'Home' || event.key === 'End') {
      if (event.currentTarget.getAttribute('role') === 'combobox' || !shown.length) return false;
      setActive(codeAt(event.key === 'Home' ? 0 : shown.length - 1));
      setNavigated(true);
      return true;
    }
    return false;
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === ' ' && navigated && activeIndex >= 0) {
      choose(codeAt(activeIndex));
      event.preventDefault();
      return;
    }
    if (event.key === 'Escape' && filter) {
      search('');
      event.preventDefault();
      return;
    }
    if (navigate(event)) event.preventDefault();
  }

  function onListKey(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key === ' ') {
      choose(codeAt(activeIndex));
      event.preventDefault();
      return;
    }
    if (navigate(event)) event.preventDefault();
  }

  const activeCode = codeAt(activeIndex);
  const activeDescendant = activeCode ? optionId(activeCode) : undefined;
  const describedBy = ['category-help', 'category-info', error ? 'category-error' : ''].filter(Boolean).join(' ');
  return (
    <div className="field category-picker">
      <label htmlFor="category-search">{t('categorySearch')}</label>
      <input
        id="category-search"
        type="search"
        role="combobox"
        aria-expanded="true"
        aria-controls="category"
        aria-autocomplete="list"
        aria-activedescendant={activeDescendant}
        aria-describedby="category-help"
        autoComplete="off"
        value={filter}
        onChange={(e) => search(e.target.value)}
        onKeyDown={onSearchKey}
      />
      <span id="category-label" className="label">
        {t('category')}
      </span>
      <ul
        id="category"
        role="listbox"
        tabIndex={0}
        aria-labelledby="category-label"
        aria-required="true"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        aria-activedescendant={activeDescendant}
        onKeyDown={onListKey}
        onFocus={() => {
          if (activeIndex < 0 && shown.length) setActive(shown.find((c) => c.code === value)?.code ?? codeAt(0));
        }}
        className="listbox"
      >
        {shown.map((c) => (
          <li
            key={c.code}
            id={optionId(c.code)}
            role="option"
            aria-selected={c.code === value}
            className={c.code === active ? 'active' : undefined}
            onClick={() => {
              setActive(c.code);
              choose(c.code);
            }}
          >
            {c.label}
          </li>
        ))}
      </ul>
      {!shown.length && <p className="muted">{t('noCategoryMatch')}</p>}
      <span id="category-help" className="sr-only">
        {t('categoryHelp')}
      </span>
      <span id="category-info" className="muted">
        {info ?? ''}
      </span>
      <input type="hidden" name="category" value={value} data-draft="" />
      <FieldError id="category-error" error={error} />
    </div>
  );
}
