import { useState, type ReactNode } from 'react';
import { api, type EnterpriseItem, type Feature, type HistoryEntry, type UnitItem } from '../api/client.ts';
import { useAction } from '../api/useAction.ts';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { Selection } from '../url/app-state.ts';
import { ParkSummaryCard } from './ParkSummaryCard.tsx';
import { useFetch } from './useFetch.ts';

/** Zone codes to names, for showing "P03 新材料产业园" rather than "P03". */
export type ZoneNames = Record<'parks' | 'areas' | 'corridors', Map<string, { name: string; name_en: string | null }>>;

interface Props {
  selection: Selection;
  zones: ZoneNames;
  /** The user may change data: each past version gets a revert button. */
  canWrite: boolean;
  onSelect: (s: Selection | null) => void;
}

const PERCENT = new Set(['vacancy_rate', 'developed_share', 'invested_share']);
const ZONE_KEYS: Record<string, 'parks' | 'areas' | 'corridors'> = { park: 'parks', area: 'areas', corridor: 'corridors' };

function zoneLabel(i18n: I18n, z: { name: string; name_en: string | null } | undefined): string {
  if (!z) return '';
  return i18n.lang === 'en' ? z.name_en ?? z.name : z.name;
}

function Value(props: { name: string; value: unknown; collection: string; zones: ZoneNames; onSelect: Props['onSelect'] }): ReactNode {
  const i18n = useI18n();
  const { t, num } = i18n;
  const { name, value } = props;
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if ((name === 'status' || name === 'use') && typeof value === 'string') {
    const prefix = name === 'use' ? 'use' : ({ parcels: 'status', units: 'unit', buildings: 'building' } as Record<string, string>)[props.collection];
    const label = prefix ? i18n.t(`${prefix}_${value}` as MessageKey) : undefined;
    return <>{label ?? value}</>;
  }
  if (/_year$/.test(name) && typeof value === 'number') return <>{value}</>;
  if (name === 'land_use' && typeof value === 'string') return <>{value} {t(`landUse_${value[0]}` as MessageKey) ?? ''}</>;
  if (name in ZONE_KEYS && typeof value === 'string') {
    const collection = ZONE_KEYS[name];
    return (
      <button type="button" className="link" onClick={() => props.onSelect({ collection, id: value })}>
        {value} {zoneLabel(i18n, props.zones[collection].get(value))}
      </button>
    );
  }
  if (name === 'parcel' && typeof value === 'string') {
    return <button type="button" className="link" onClick={() => props.onSelect({ collection: 'parcels', id: value })}>{value}</button>;
  }
  if (PERCENT.has(name) && typeof value === 'number') return <>{num(value * 100, 1)}%</>;
  if (typeof value === 'number') return <>{num(value)}</>;
  if (typeof value === 'boolean') return <>{value ? '✓' : '✗'}</>;
  if (Array.isArray(value)) return <>{value.join(', ')}</>;
  if (name === 'updated_at' && typeof value === 'string') return <>{new Date(value).toLocaleString(i18n.lang === 'zh' ? 'zh-CN' : 'en-GB')}</>;
  return <>{String(value)}</>;
}

function Attributes(props: { properties: Record<string, unknown>; collection: string; zones: ZoneNames; onSelect: Props['onSelect'] }) {
  const { attr, t } = useI18n();
  return (
    <section>
      <h3>{t('attributes')}</h3>
      <table className="attributes" data-testid="attributes">
        <tbody>
          {Object.entries(props.properties).map(([k, v]) => (
            <tr key={k} data-attr={k}>
              <th>{attr(k)}</th>
              <td><Value name={k} value={v} collection={props.collection} zones={props.zones} onSelect={props.onSelect} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The version an item had when it was loaded in bulk, before its history began: no entry of its own,
 * but the first entry's `before` holds it (and the API reverts to it from there).
 */
function loadedVersion(entries: HistoryEntry[]): number | null {
  const first = entries[0];
  return first && first.version > 1 && first.before != null ? first.version - 1 : null;
}

/**
 * The versions the item can be reverted to: each recorded one but the current that left the item in
 * place (not a delete), and the version it was loaded with.
 */
function revertibleVersions(entries: HistoryEntry[], current: number): Set<number> {
  const loaded = loadedVersion(entries);
  return new Set([...(loaded === null ? [] : [loaded]), ...entries.filter((h) => h.after != null).map((h) => h.version)].filter((v) => v !== current));
}

function RevertButton(props: { version: number; busy: boolean; onRevert: (version: number) => Promise<void> }) {
  const { t } = useI18n();
  return (
    <button type="button" className="link revert" data-testid="revert" data-version={props.version} disabled={props.busy}
      title={t('revertTitle').replace('{v}', String(props.version))} onClick={() => void props.onRevert(props.version)}>
      {t('revert')}
    </button>
  );
}

function History(props: { collection: string; id: string; revision: number; current: number | null; canWrite: boolean; onReverted: () => void }) {
  const { t, attr, lang } = useI18n();
  const { data, error } = useFetch(`${props.collection}/${props.id}#${props.revision}`, (signal) => api.history(props.collection, props.id, signal));
  const { busy, error: revertError, run } = useAction();
  const revertible = data && props.canWrite && props.current !== null ? revertibleVersions(data.items, props.current) : new Set<number>();

  const revert = async (version: number) => {
    if (props.current === null) return;
    await run(async () => {
      await api.revert(props.collection, props.id, version, `"${props.current}"`);
      props.onReverted();
    });
  };

  return (
    <section data-testid="history">
      <h3>{t('history')}</h3>
      {error && <p className="error">{t('loadFailed')}: {error}</p>}
      {revertError && <p className="error" role="alert" data-testid="revert-error">{t('revertFailed')}: {revertError}</p>}
      {data && data.items.length === 0 && <p className="muted">{t('noHistory')}</p>}
      <ol className="history">
        {data && loadedVersion(data.items) !== null && (
          <li data-version={loadedVersion(data.items)!} data-operation="loaded">
            <strong>v{loadedVersion(data.items)}</strong> {t('historyLoaded')}
            {revertible.has(loadedVersion(data.items)!) && <RevertButton version={loadedVersion(data.items)!} busy={busy} onRevert={revert} />}
          </li>
        )}
        {data?.items.map((h) => (
          <li key={h.version} data-version={h.version} data-operation={h.operation} data-actor={h.actor}>
            <strong>v{h.version}</strong> {t(`op_${h.operation}`)} · {new Date(h.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')} · {h.actor}
            {h.changed.length > 0 && <div className="muted">{t('changed')}: {h.changed.map(attr).join(', ')}</div>}
            {revertible.has(h.version) && <RevertButton version={h.version} busy={busy} onRevert={revert} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Names of the enterprises with these USCCs (at most 50, the rest by code). */
function useEnterpriseNames(usccs: string[]) {
  const key = usccs.length ? usccs.slice(0, 50).join(',') : null;
  return useFetch(key, async (signal) => {
    const found = await Promise.all(usccs.slice(0, 50).map((u) => api.enterprise(u, signal).catch(() => null)));
    return new Map(found.filter((e): e is EnterpriseItem => e !== null).map((e) => [e.uscc, e]));
  }).data;
}

function enterpriseName(lang: string, names: Map<string, EnterpriseItem> | undefined, uscc: string): string {
  const e = names?.get(uscc);
  return e ? (lang === 'en' ? e.name_en ?? e.name : e.name) : uscc;
}

function BuildingUnits(props: { building: string }) {
  const { t, num, lang } = useI18n();
  const { data, error } = useFetch(props.building, (signal) => api.unitsIn(props.building, signal));
  const units: UnitItem[] = data?.items ?? [];
  const tenants = [...new Set(units.map((u) => u.tenant).filter((x): x is string => !!x))];
  const names = useEnterpriseNames(tenants);
  return (
    <>
      <section data-testid="units">
        <h3>{t('units')} ({units.length})</h3>
        {error && <p className="error">{t('loadFailed')}: {error}</p>}
        <table className="units">
          <thead>
            <tr><th>{t('floor')}</th><th>#</th><th>{t('unitArea')}</th><th>{t('unitStatus')}</th><th>{t('tenant')}</th></tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.code} className={`unit-${u.status}`}>
                <td>{u.floor}</td>
                <td>{u.code}</td>
                <td>{num(u.area_m2, 0)}</td>
                <td>{t(`unit_${u.status}`)}</td>
                <td>{u.tenant ? enterpriseName(lang, names, u.tenant) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section data-testid="tenants">
        <h3>{t('tenants')} ({tenants.length})</h3>
        <ul>{tenants.map((u) => <li key={u}>{enterpriseName(lang, names, u)} <span className="muted">{u}</span></li>)}</ul>
      </section>
    </>
  );
}

function ParcelExtras(props: { parcel: string; enterprise: string | null; onSelect: Props['onSelect'] }) {
  const { t, lang } = useI18n();
  const { data } = useFetch(props.parcel, (signal) => api.buildingsOn(props.parcel, signal));
  const names = useEnterpriseNames(props.enterprise ? [props.enterprise] : []);
  return (
    <>
      {props.enterprise && (
        <section>
          <h3>{t('enterprise')}</h3>
          <p>{enterpriseName(lang, names, props.enterprise)}</p>
        </section>
      )}
      <section data-testid="parcel-buildings">
        <h3>{t('buildingsOnParcel')} ({data?.features.length ?? 0})</h3>
        <ul>
          {data?.features.map((b) => (
            <li key={String(b.id)}>
              <button type="button" className="link" onClick={() => props.onSelect({ collection: 'buildings', id: String(b.id) })}>
                {String(b.id)} {String(b.properties.name ?? '')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Everything about the clicked feature: attributes, related items and history. */
export function DetailPanel(props: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const { collection, id } = props.selection;
  // Goes up after a revert: the item and its history are read again.
  const [revision, setRevision] = useState(0);
  const { data, error, loading } = useFetch(`${collection}/${id}#${revision}`, (signal) => api.item(collection, id, signal));
  const properties = (data as Feature | undefined)?.properties ?? (data as Record<string, unknown> | undefined);
  const version = typeof properties?.version === 'number' ? properties.version : null;
  const title = properties && (i18n.lang === 'en' ? properties.name_en ?? properties.name : properties.name);
  return (
    <aside className="panel detail" data-testid="detail" data-collection={collection} data-id={id} data-version={version ?? undefined}>
      <header>
        <span className="kind">{t(`kind_${collection}`)}</span>
        <h2>{id} {title ? <small>{String(title)}</small> : null}</h2>
        <button type="button" className="close" aria-label={t('close')} onClick={() => props.onSelect(null)}>×</button>
      </header>
      {loading && <p className="muted">{t('loading')}</p>}
      {error && <p className="error">{t('loadFailed')}: {error}</p>}
      {properties && (
        <>
          {collection === 'parks' && <ParkSummaryCard code={id} />}
          <Attributes properties={properties} collection={collection} zones={props.zones} onSelect={props.onSelect} />
          {collection === 'parcels' && <ParcelExtras parcel={id} enterprise={(properties.enterprise as string | null) ?? null} onSelect={props.onSelect} />}
          {collection === 'buildings' && <BuildingUnits building={id} />}
          <History collection={collection} id={id} revision={revision} current={version} canWrite={props.canWrite} onReverted={() => setRevision((r) => r + 1)} />
        </>
      )}
    </aside>
  );
}
