import { useI18n } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="lang-text">{t('language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'tr')}>
        <option value="tr">Türkçe</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
