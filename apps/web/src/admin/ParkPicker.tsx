import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * Which parks a user or key is limited to, as chips. None picked means the whole zone (the API's
 * `parks: null`), so an empty choice never locks someone out of everything.
 */
export function ParkPicker(props: { parks: NamedZone[]; value: string[] | null; onChange: (parks: string[] | null) => void; testid: string }) {
  const { t, lang } = useI18n();
  const picked = new Set(props.value ?? []);
  const toggle = (code: string) => {
    const next = new Set(picked);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    props.onChange(next.size ? props.parks.map((p) => p.code).filter((c) => next.has(c)) : null);
  };
  return (
    <fieldset data-testid={props.testid}>
      <legend>{t('adm_parks')}{picked.size === 0 && <> · {t('adm_allParks')}</>}</legend>
      <div className="chips">
        {props.parks.map((p) => (
          <label key={p.code} className={`chip${picked.has(p.code) ? ' on' : ''}`} data-park={p.code} title={lang === 'en' ? p.name_en ?? p.name : p.name}>
            <input type="checkbox" checked={picked.has(p.code)} onChange={() => toggle(p.code)} />
            {p.code}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A parks limit for a table cell. */
export function ParksLabel(props: { parks: string[] | null }) {
  const { t } = useI18n();
  return <>{props.parks === null ? <span className="muted">{t('adm_allParks')}</span> : props.parks.join(', ')}</>;
}
