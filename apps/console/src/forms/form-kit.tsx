import { useId, type ReactNode } from 'react';
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
}

/** A labelled input whose API error (problem+json `errors[].field`) shows beside it. */
export function Field({ name, label, error, required, area, rows = 3, defaultValue, value, onChange }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const common = {
    id,
    name,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    ...(value !== undefined ? { value, onChange: (e: { target: { value: string } }) => onChange?.(e.target.value) } : { defaultValue }),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{t(label)}</label>
      {area ? <textarea rows={rows} {...common} /> : <input {...common} />}
      <FieldError id={`${id}-error`} error={error} />
    </div>
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
