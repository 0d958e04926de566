import { useId, useState, type ReactNode } from 'react';
import { useI18n, type TextKey } from '../i18n';

/*
 * The console's form kit, shared by every form (intake, the contact log, the ticket's actions):
 * labelled fields whose API error (problem+json `errors[].field`) shows beside them, and
 * Ctrl+Enter to submit.
 */

/** Ctrl+Enter (or Cmd+Enter) submits the form the focus is in. */
export function submitOnCtrlEnter(event: React.KeyboardEvent<HTMLFormElement>) {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
}

interface FieldProps {
  name: string;
  label: TextKey;
  error?: string;
  required?: boolean;
  area?: boolean;
  rows?: number;
  defaultValue?: string;
  value?: string;
  onChange?(value: string): void;
  /** The API's limit for the field: a live character counter beside the label. */
  maxLength?: number;
}

/** A labelled input whose API error (problem+json `errors[].field`) shows beside it. */
export function Field({ name, label, error, required, area, rows = 3, defaultValue, value, onChange, maxLength }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const [typed, setTyped] = useState((value ?? defaultValue ?? '').length);
  const length = value !== undefined ? value.length : typed;
  const describedBy = [error ? `${id}-error` : '', maxLength ? `${id}-count` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name,
    required,
    'aria-invalid': error || (maxLength && length > maxLength) ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (e: { currentTarget: { value: string } }) => setTyped(e.currentTarget.value.length),
    ...(value !== undefined ? { value, onChange: (e: { target: { value: string } }) => onChange?.(e.target.value) } : { defaultValue }),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{t(label)}</label>
      {area ? <textarea rows={rows} {...common} /> : <input {...common} />}
      {maxLength !== undefined && <CharacterCount id={`${id}-count`} length={length} max={maxLength} />}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** "120 / 4000 characters": the limit before the API refuses, said before it does. */
export function CharacterCount({ id, length, max }: { id: string; length: number; max: number }) {
  const { t } = useI18n();
  const over = length > max;
  return (
    <span id={id} className={over ? 'char-count field-error' : 'char-count muted'} data-testid="char-count">
      {length} / {max} {t('characters')}
      {over ? ` — ${t('charactersOver')}` : ''}
    </span>
  );
}

export function Select({ name, label, options, error, required, defaultValue }: { name: string; label: TextKey; options: [string, string][]; error?: string; required?: boolean; defaultValue?: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t(label)}</label>
      <select id={id} name={name} required={required} defaultValue={defaultValue ?? ''} key={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{t('choose')}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error?: string }): ReactNode {
  return error ? (
    <span id={id} className="field-error">
      {error}
    </span>
  ) : null;
}
