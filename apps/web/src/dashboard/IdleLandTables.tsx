import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useFetch } from '../panels/useFetch.ts';
import { Block } from './Block.tsx';
import { IDLE_LIST_CLASSES, statsApi, statsUrl } from './stats-api.ts';

const SHOWN = 50;

/** The idle-land list (class, the rule and dates that decided it) and the early warnings. */
export function IdleLandTables(props: {
  park: string | null;
  asOf: string | null;
  parkName: (code: string | null) => string;
  onPickParcel: (code: string) => void;
}) {
  const { t, num } = useI18n();
  const { park, asOf } = props;
  const list = useFetch(`idle-list:${park}:${asOf}`, (s) => statsApi.idleList(park, asOf, s));
  const warnings = useFetch(`warnings:${park}:${asOf}`, (s) => statsApi.warnings(park, asOf, s));
  const cls = (c: string) => t(`idle_${c}` as MessageKey) ?? c;
  const parcel = (code: string) => (
    <button type="button" className="link" onClick={() => props.onPickParcel(code)}>{code}</button>
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <Block title={t('dash_idleList')} testId="idle-list"
        csv={statsUrl('idle-land', { class: IDLE_LIST_CLASSES.join(','), park, as_of: asOf }, true)}>
        {list.loading && <p className="muted">{t('loading')}</p>}
        <table className="dash-table">
          <thead>
            <tr><th>{t('kind_parcels')}</th><th>{t('status')}</th><th>{t('dash_rule')}</th><th>{t('dash_since')}</th><th>{t('dash_days')}</th><th>{t('mu')}</th></tr>
          </thead>
          <tbody>
            {items.slice(0, SHOWN).map((i) => (
              <tr key={i.parcel} data-parcel={i.parcel} data-class={i.class}>
                <td>{parcel(i.parcel)}<div className="muted">{props.parkName(i.park)}</div></td>
                <td>{cls(i.class)}</td>
                <td>{t(`rule_${i.rule}` as MessageKey) ?? i.rule}</td>
                <td>{i.since ?? '—'}</td>
                <td>{i.days ?? '—'}</td>
                <td>{num(i.area_mu, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {(items.length > SHOWN || list.data?.next) && <p className="muted">{t('dash_shown').replace('{n}', String(SHOWN))}</p>}
      </Block>
      <Block title={t('dash_warnings')} testId="idle-warnings"
        csv={statsUrl('idle-land/warnings', { park, as_of: asOf, within_days: 90 }, true)}>
        {warnings.data && warnings.data.items.length === 0 && <p className="muted">{t('dash_noWarnings')}</p>}
        {warnings.data && warnings.data.items.length > 0 && (
          <table className="dash-table">
            <thead>
              <tr><th>{t('kind_parcels')}</th><th>{t('status')}</th><th>{t('dash_deadline')}</th><th>{t('dash_daysLeft')}</th><th>{t('dash_fee')}</th></tr>
            </thead>
            <tbody>
              {warnings.data.items.slice(0, SHOWN).map((w) => (
                <tr key={w.parcel} data-parcel={w.parcel}>
                  <td>{parcel(w.parcel)}</td>
                  <td>{cls(w.class)} → {cls(w.next_class)}</td>
                  <td>{w.deadline}</td>
                  <td>{w.days_left}</td>
                  <td>{w.idle_fee_cny === null ? '—' : num(w.idle_fee_cny, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Block>
    </>
  );
}
