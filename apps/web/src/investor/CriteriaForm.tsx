import { useState, type FormEvent } from 'react';
import type { NamedZone } from '../api/client.ts';
import { zoneName } from '../dashboard/Dashboard.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { NO_SPACE_CRITERIA, type SpaceCriteria } from '../url/app-state.ts';

export interface CriteriaFormProps {
  criteria: SpaceCriteria | null;
  parks: NamedZone[];
  /** The map's centre now, for "near the map centre". */
  center: [number, number];
  onSearch: (criteria: SpaceCriteria) => void;
}

const DEFAULT_NEAR_KM = 3;
const round6 = (v: number) => Number(v.toFixed(6));

function NumberField(props: { label: string; value: number | null; onChange: (v: number | null) => void; testId: string; step?: string }) {
  return (
    <label className="field">
      {props.label}
      <input type="number" min="0" step={props.step ?? 'any'} data-testid={props.testId} value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' || !Number.isFinite(e.target.valueAsNumber) ? null : e.target.valueAsNumber)} />
    </label>
  );
}

/** The investor's criteria; the search runs when the form is sent, and the link keeps what was sent. */
export function CriteriaForm(props: CriteriaFormProps) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<SpaceCriteria>(() => props.criteria ?? { ...NO_SPACE_CRITERIA });
  const [nearOn, setNearOn] = useState(props.criteria?.near != null);
  const [nearKm, setNearKm] = useState<number | null>(props.criteria?.near?.km ?? DEFAULT_NEAR_KM);
  const set = (patch: Partial<SpaceCriteria>) => setDraft((d) => ({ ...d, ...patch }));
  const areaWrong = draft.minAreaM2 !== null && draft.maxAreaM2 !== null && draft.minAreaM2 > draft.maxAreaM2;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (areaWrong) return;
    const near = nearOn && nearKm ? { lon: round6(props.center[0]), lat: round6(props.center[1]), km: nearKm } : null;
    props.onSearch({ ...draft, industry: draft.industry?.trim().toUpperCase() || null, near });
  };

  return (
    <form className="panel space-form" data-testid="space-form" onSubmit={submit}>
      <h2>{t('inv_title')} <small>{t('inv_subtitle')}</small></h2>
      <div className="form-grid">
        <NumberField label={t('inv_minArea')} value={draft.minAreaM2} onChange={(v) => set({ minAreaM2: v })} testId="crit-min-area" />
        <NumberField label={t('inv_maxArea')} value={draft.maxAreaM2} onChange={(v) => set({ maxAreaM2: v })} testId="crit-max-area" />
        <NumberField label={t('inv_maxRent')} value={draft.maxRentM2} onChange={(v) => set({ maxRentM2: v })} testId="crit-max-rent" />
        <NumberField label={t('inv_maxTotal')} value={draft.maxTotalMonth} onChange={(v) => set({ maxTotalMonth: v })} testId="crit-max-total" />
      </div>
      {areaWrong && <p className="error" data-testid="crit-area-error">{t('inv_areaOrder')}</p>}
      <fieldset>
        <legend>{t('inv_parks')}</legend>
        <div className="chips" data-testid="crit-parks">
          {props.parks.map((p) => (
            <label key={p.code} className={`chip ${draft.parks.includes(p.code) ? 'on' : ''}`} data-park={p.code}>
              <input type="checkbox" checked={draft.parks.includes(p.code)}
                onChange={(e) => set({ parks: e.target.checked ? [...draft.parks, p.code] : draft.parks.filter((c) => c !== p.code) })} />
              {zoneName(p, lang, p.code)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        <label className="field">
          {t('inv_industry')}
          <input type="text" data-testid="crit-industry" placeholder="C27" pattern="[A-Ta-t]([0-9]{2})?" title={t('inv_industryHint')}
            value={draft.industry ?? ''} onChange={(e) => set({ industry: e.target.value || null })} />
        </label>
        <label className="field">
          {t('inv_availableBy')}
          <input type="date" data-testid="crit-available-by" value={draft.availableBy ?? ''} onChange={(e) => set({ availableBy: e.target.value || null })} />
        </label>
        <NumberField label={t('inv_minFloorLoad')} value={draft.minFloorLoad} onChange={(v) => set({ minFloorLoad: v })} testId="crit-floor-load" />
        <NumberField label={t('inv_minClearHeight')} value={draft.minClearHeight} onChange={(v) => set({ minClearHeight: v })} testId="crit-clear-height" />
        <NumberField label={t('inv_minPower')} value={draft.minPowerKva} onChange={(v) => set({ minPowerKva: v })} testId="crit-power" />
      </div>
      <label className="check">
        <input type="checkbox" data-testid="crit-move-in-ready" checked={draft.moveInReady} onChange={(e) => set({ moveInReady: e.target.checked })} /> {t('inv_moveInReady')}
      </label>
      <label className="check">
        <input type="checkbox" data-testid="crit-ground-floor" checked={draft.groundFloor} onChange={(e) => set({ groundFloor: e.target.checked })} /> {t('inv_groundFloor')}
      </label>
      <div className="near-row">
        <label className="check">
          <input type="checkbox" data-testid="crit-near" checked={nearOn} onChange={(e) => setNearOn(e.target.checked)} /> {t('inv_nearCentre')}
        </label>
        <input type="number" min="0.1" max="100" step="any" data-testid="crit-near-km" disabled={!nearOn} value={nearKm ?? ''} aria-label={t('inv_km')}
          onChange={(e) => setNearKm(e.target.value === '' ? null : e.target.valueAsNumber)} />
        <span>{t('inv_km')}</span>
      </div>
      <div className="form-actions">
        <button type="submit" data-testid="space-search">{t('inv_search')}</button>
        <button type="button" className="link" onClick={() => { setDraft({ ...NO_SPACE_CRITERIA }); setNearOn(false); }}>{t('inv_reset')}</button>
      </div>
    </form>
  );
}
