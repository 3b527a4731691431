import type { OutputPerMuItem, VacancyItem } from '@parkatlas/schema';
import type { ReactNode } from 'react';
import type { NamedZone } from '../api/client.ts';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useFetch } from '../panels/useFetch.ts';
import { CHOROPLETH_LEVELS, type AppState, type Choropleth, type ChoroplethIndicator } from '../url/app-state.ts';
import { Bars, MonthLine, StackedBars } from './charts.tsx';
import { indicatorsFor, type ChoroplethColors } from './choropleth.ts';
import { AsOfSlider, monthOf, monthsBack } from './AsOfSlider.tsx';
import { Block } from './Block.tsx';
import { IdleLandTables } from './IdleLandTables.tsx';
import { statsApi, statsUrl, type IdleSummaryRow } from './stats-api.ts';

/**
 * The zone's indicators, for the whole zone or one park, as of a day: key figures, charts by park,
 * the thematic map's control, and the idle-land list with its reasons and warnings. Every block
 * links its table as CSV; "print" lays the dashboard out as a report.
 */

export interface DashboardProps {
  park: string | null;
  asOf: string | null;
  choropleth: Choropleth | null;
  choroplethColors: ChoroplethColors | null;
  parks: NamedZone[];
  onChange: (patch: Partial<AppState>) => void;
  onPickParcel: (code: string) => void;
}

export const zoneName = (z: { name: string | null; name_en?: string | null } | undefined, lang: string, fallback = '') =>
  (lang === 'en' ? z?.name_en ?? z?.name : z?.name) ?? fallback;

const pct = (i18n: I18n) => (v: number) => `${i18n.num(v * 100, 1)}%`;
// Money the way each language counts it: 万元 and 亿元 in Chinese, thousands and billions in English.
const wan = (i18n: I18n) => (v: number) =>
  i18n.lang === 'en' ? `CNY ${i18n.num(v / 1e3, 0)}k` : `${i18n.num(v / 1e4, 1)} ${i18n.t('dash_tenThousandCny')}`;
const yi = (i18n: I18n) => (v: number) =>
  i18n.lang === 'en' ? `CNY ${i18n.num(v / 1e9, 2)} bn` : `${i18n.num(v / 1e8, 2)} ${i18n.t('dash_hundredMillionCny')}`;
const mu = (i18n: I18n) => (v: number) => `${i18n.num(v, 1)} ${i18n.t('mu')}`;

function Figure(props: { label: string; value: ReactNode; figure: string; alert?: boolean }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-figure={props.figure} className={props.alert ? 'alert' : undefined}>{props.value}</dd>
    </div>
  );
}

export function Dashboard(props: DashboardProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { park, asOf } = props;
  const parkNames = new Map(props.parks.map((p) => [p.code, p]));
  const name = (code: string | null) => (code === null ? t('dash_noValue') : zoneName(parkNames.get(code), lang, code));

  const vacancy = useFetch(`vacancy:${asOf}`, (s) => statsApi.vacancy('park', asOf, s));
  const idle = useFetch(`idle:${asOf}`, (s) => statsApi.idleSummary('park', asOf, s));
  const idleZone = useFetch(`idle-zone:${asOf}`, (s) => statsApi.idleSummary('zone', asOf, s));
  const output = useFetch(`output:${asOf}`, (s) => statsApi.outputPerMu(asOf, s));
  // The chart is by status; a park's own figure needs the table by park, the zone's is the chart's total.
  const projectsByStatus = useFetch('projects:status', (s) => statsApi.projects('status', s));
  const projectsByPark = useFetch(park ? 'projects:park' : null, (s) => statsApi.projects('park', s));
  const projects = park ? projectsByPark : projectsByStatus;
  const industries = useFetch('industries', (s) => statsApi.industries(s));
  const lastMonth = monthOf(asOf);
  const seriesBy = park ? 'park' : 'zone';
  const series = useFetch(`series:${seriesBy}:${lastMonth}`, (s) => statsApi.vacancySeries(seriesBy, monthsBack(lastMonth, 35), lastMonth, s));

  // The scope's own rows: the park's, or the zone's.
  const scopeVacancy: VacancyItem | undefined = park ? vacancy.data?.items.find((i) => i.key === park) : vacancy.data?.total ?? undefined;
  const scopeIdle: IdleSummaryRow | undefined = park ? idle.data?.items.find((i) => i.key === park) : idleZone.data?.items[0];
  const scopeOutput: OutputPerMuItem | undefined = park ? output.data?.items.find((i) => i.key === park) : output.data?.zone ?? undefined;
  const scopeProjects = park ? projects.data?.items.find((i) => i.key === park) : projects.data?.total;
  const industryRows = (industries.data?.items ?? []).filter((i) => !park || i.park === park);
  const enterprises = industryRows.reduce((s, i) => s + i.enterprises, 0);
  const highTech = industryRows.reduce((s, i) => s + i.high_tech_enterprises, 0);
  const chain = park ? industries.data?.chains?.find((c) => c.park === park) : undefined;

  const bySection = new Map<string, { label: string; revenue: number }>();
  for (const i of industryRows) {
    const row = bySection.get(i.section) ?? { label: `${i.section} ${i.section_name ?? ''}`, revenue: 0 };
    row.revenue += i.revenue_cny;
    bySection.set(i.section, row);
  }
  const parkRows = <T extends { key: string | null }>(items: T[] | undefined) => (items ?? []).filter((i) => i.key !== null && i.key !== 'zone');
  const seriesPoints = (series.data?.items ?? [])
    .filter((i) => (park ? i.key === park : true))
    .map((i) => ({ month: i.month, value: i.vacancy_rate }));
  const loading = vacancy.loading || idle.loading || output.loading;

  return (
    <div className="dashboard" data-testid="dashboard" data-loading={loading ? 'true' : 'false'}>
      <section className="panel dash-head">
        <h2>{t('dash_title')} <small>{park ? name(park) : t('dash_wholeZone')}</small></h2>
        <label className="field">
          {t('dash_scope')}
          <select data-testid="dash-scope" value={park ?? ''} onChange={(e) => props.onChange({ park: e.target.value || null })}>
            <option value="">{t('dash_wholeZone')}</option>
            {props.parks.map((p) => <option key={p.code} value={p.code}>{zoneName(p, lang)}</option>)}
          </select>
        </label>
        <AsOfSlider asOf={asOf} onChange={(d) => props.onChange({ asOf: d })} />
        <button type="button" className="print-button" onClick={() => window.print()}>{t('dash_print')}</button>
      </section>

      <section className="panel" data-testid="dash-figures">
        <dl className="figures">
          <Figure figure="land_mu" label={t('dash_land')} value={scopeIdle ? mu(i18n)(scopeIdle.area_mu) : '…'} />
          <Figure figure="idle_mu" label={t('dash_idleLand')} alert={(scopeIdle?.idle_area_mu ?? 0) > 0}
            value={scopeIdle ? `${mu(i18n)(scopeIdle.idle_area_mu)} · ${scopeIdle.idle_share === null ? '—' : pct(i18n)(scopeIdle.idle_share)}` : '…'} />
          <Figure figure="unsupplied_mu" label={t('dash_unsupplied')} value={scopeIdle ? mu(i18n)(scopeIdle.approved_unsupplied_area_mu) : '…'} />
          <Figure figure="unused_mu" label={t('dash_unused')} value={scopeIdle ? mu(i18n)(scopeIdle.supplied_unused_area_mu) : '…'} />
          <Figure figure="vacancy_rate" label={t('dash_vacancyRate')}
            value={scopeVacancy ? (scopeVacancy.vacancy_rate === null ? '—' : pct(i18n)(scopeVacancy.vacancy_rate)) : '…'} />
          <Figure figure="vacant_m2" label={t('dash_vacant')}
            value={scopeVacancy ? `${i18n.num(scopeVacancy.vacant_m2 / 1e4, 2)} ${t('tenThousandM2')}` : '…'} />
          <Figure figure="tax_per_mu" label={t('dash_taxPerMu')}
            value={scopeOutput ? `${scopeOutput.tax_per_mu === null ? '—' : wan(i18n)(scopeOutput.tax_per_mu)}${t('dash_perMu')}${scopeOutput.grade ? ` · ${scopeOutput.grade}` : ''}` : '…'} />
          <Figure figure="revenue_per_mu" label={t('dash_revenuePerMu')}
            value={scopeOutput ? `${scopeOutput.revenue_per_mu === null ? '—' : wan(i18n)(scopeOutput.revenue_per_mu)}${t('dash_perMu')}` : '…'} />
          <Figure figure="enterprises" label={t('dash_enterprises')} value={industries.data ? `${i18n.num(enterprises, 0)} (${t('dash_highTech')} ${i18n.num(highTech, 0)})` : '…'} />
          <Figure figure="projects" label={t('dash_projects')}
            value={scopeProjects ? `${i18n.num(scopeProjects.projects, 0)} · ${yi(i18n)(scopeProjects.investment_cny)}` : projects.data ? '0' : '…'} />
        </dl>
      </section>

      <ChoroplethControl {...props} />

      <Block title={t('dash_vacancyByPark')} csv={statsUrl('vacancy', { by: 'park', as_of: asOf }, true)} testId="chart-vacancy">
        <Bars format={pct(i18n)} testId="bars-vacancy"
          bars={parkRows(vacancy.data?.items).sort((a, b) => (b.vacancy_rate ?? 0) - (a.vacancy_rate ?? 0)).map((v) => ({
            key: v.key!, label: name(v.key), value: v.vacancy_rate, highlight: v.key === park,
            onClick: () => props.onChange({ park: v.key }),
          }))} />
      </Block>

      <Block title={t('dash_vacancySeries')} csv={statsUrl('vacancy/series', { by: seriesBy, from: monthsBack(lastMonth, 35), to: lastMonth }, true)} testId="chart-series">
        <MonthLine points={seriesPoints} format={pct(i18n)} testId="series-vacancy" />
      </Block>

      <Block title={t('dash_outputByPark')} csv={statsUrl('output-per-mu', { by: 'park', as_of: asOf }, true)} testId="chart-output">
        <Bars format={wan(i18n)} testId="bars-output"
          bars={(output.data?.items ?? []).map((o) => ({
            key: o.key, label: name(o.key), value: o.tax_per_mu, highlight: o.key === park,
            color: o.grade ? GRADE_COLORS[o.grade] : undefined,
            note: o.tax_per_mu === null ? '—' : `${wan(i18n)(o.tax_per_mu)} · ${o.grade ?? '—'}`,
            onClick: () => props.onChange({ park: o.key }),
          }))} />
      </Block>

      <Block title={t('dash_idleByPark')} csv={statsUrl('idle-land/summary', { by: 'park', as_of: asOf }, true)} testId="chart-idle">
        <StackedBars format={(v) => i18n.num(v, 0)} testId="bars-idle"
          segments={IDLE_SEGMENTS.map((s) => ({ ...s, label: t(`idle_${s.key}` as MessageKey) }))}
          rows={parkRows(idle.data?.items).map((r) => ({
            key: r.key!, label: name(r.key), highlight: r.key === park,
            values: {
              recoverable: r.recoverable_area_mu,
              idle_1y: r.idle_area_mu - r.recoverable_area_mu,
              stalled: r.stalled_area_mu,
              supplied_unused: r.supplied_unused_area_mu,
              approved_unsupplied: r.approved_unsupplied_area_mu,
            },
          })).sort((a, b) => sum(b.values) - sum(a.values))} />
      </Block>

      <Block title={t('dash_projectsByStatus')} csv={statsUrl('projects', { by: 'status' }, true)} testId="chart-projects">
        <Bars format={yi(i18n)}
          bars={(projectsByStatus.data?.items ?? []).map((p) => ({
            key: p.key ?? '-', label: p.key ? t(`project_${p.key}` as MessageKey) ?? p.key : '—', value: p.investment_cny,
            note: `${yi(i18n)(p.investment_cny)} · ${p.projects}`,
          }))} />
      </Block>

      <Block title={t('dash_industries')} csv={statsUrl('industries', { by: 'park' }, true)} testId="chart-industries">
        <Bars format={yi(i18n)}
          bars={[...bySection].sort((a, b) => b[1].revenue - a[1].revenue).map(([k, v]) => ({ key: k, label: v.label, value: v.revenue }))} />
        {chain && (
          <div className="chain" data-testid="industry-chain">
            <h3>{t('dash_chain')} · {i18n.num((chain.coverage ?? 0) * 100, 0)}%</h3>
            <ul className="chips">
              {chain.links.map((l) => (
                <li key={l.link} className={`chip ${l.present ? 'on' : 'missing'}`} title={l.present ? t('dash_chainPresent') : t('dash_chainMissing')}>
                  {l.link} {l.link_name ?? ''} {l.present ? `· ${l.enterprises}` : '✕'}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Block>

      <IdleLandTables park={park} asOf={asOf} parkName={name} onPickParcel={props.onPickParcel} />
    </div>
  );
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((s, v) => s + v, 0);

const IDLE_SEGMENTS = [
  { key: 'recoverable', color: '#7f1d1d' },
  { key: 'idle_1y', color: '#dc2626' },
  { key: 'stalled', color: '#f59e0b' },
  { key: 'supplied_unused', color: '#a78bfa' },
  { key: 'approved_unsupplied', color: '#cbd5e1' },
];

const GRADE_COLORS: Record<string, string> = { A: '#15803d', B: '#65a30d', C: '#d97706', D: '#b91c1c' };

/** Which indicator shades the map, by park or by area, and the classes' legend. */
function ChoroplethControl(props: DashboardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const c = props.choropleth;
  const level = c?.level ?? 'parks';
  const format = (v: number) => (c && c.indicator.endsWith('per_mu') ? wan(i18n)(v) : pct(i18n)(v));
  return (
    <section className="panel" data-testid="choropleth-control">
      <h2>{t('dash_map')}</h2>
      <div className="choropleth-row">
        <label className="field">
          {t('dash_choropleth')}
          <select data-testid="choropleth-indicator" value={c?.indicator ?? ''}
            onChange={(e) => props.onChange({ choropleth: e.target.value ? { indicator: e.target.value as ChoroplethIndicator, level } : null })}>
            <option value="">{t('dash_none')}</option>
            {indicatorsFor(level).map((i) => <option key={i} value={i}>{t(`ind_${i}` as MessageKey)}</option>)}
          </select>
        </label>
        <label className="field">
          {t('dash_level')}
          <select data-testid="choropleth-level" value={level}
            onChange={(e) => {
              const next = e.target.value as Choropleth['level'];
              const indicator = c && indicatorsFor(next).includes(c.indicator) ? c.indicator : indicatorsFor(next)[0];
              props.onChange({ choropleth: c ? { indicator, level: next } : null });
            }}>
            {CHOROPLETH_LEVELS.map((l) => <option key={l} value={l}>{t(`layer_${l}` as MessageKey)}</option>)}
          </select>
        </label>
      </div>
      {c && props.choroplethColors && (
        <ul className="choropleth-legend" data-testid="choropleth-legend">
          {props.choroplethColors.classes.map((k) => (
            <li key={k.color}><span className="swatch" style={{ background: k.color }} />{format(k.from)} – {format(k.to)}</li>
          ))}
          <li><span className="swatch" style={{ background: '#d0d0d0' }} />{t('dash_noValue')}</li>
        </ul>
      )}
    </section>
  );
}
