import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { spaceFormat } from './format.ts';
import { spaceKey, type SpaceItem } from './space-api.ts';

const ROWS: [MessageKey, keyof ReturnType<typeof spaceFormat>][] = [
  ['inv_kind', 'kind'],
  ['park', 'park'],
  ['inv_area', 'area'],
  ['inv_rent', 'rent'],
  ['inv_total', 'total'],
  ['floor', 'floor'],
  ['inv_moveInReady', 'ready'],
  ['inv_floorLoad', 'floorLoad'],
  ['inv_clearHeight', 'clearHeight'],
  ['inv_power', 'power'],
  ['inv_availableFrom', 'availableFrom'],
  ['inv_distance', 'distance'],
  ['inv_score', 'score'],
];

/** Up to four spaces side by side, one column each. */
export function CompareTable(props: { items: SpaceItem[]; parks: Map<string, NamedZone>; onRemove: (key: string) => void; onClear: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = spaceFormat(i18n, props.parks);
  if (!props.items.length) return null;
  return (
    <section className="panel compare" data-testid="compare">
      <h2>
        {t('inv_compare')} <small>{props.items.length}/4</small>
        <button type="button" className="link no-print" onClick={props.onClear}>{t('inv_clearCompare')}</button>
      </h2>
      <div className="compare-scroll">
        <table data-testid="compare-table">
          <thead>
            <tr>
              <th />
              {props.items.map((i) => (
                <th key={spaceKey(i)} data-key={spaceKey(i)}>
                  {f.title(i)}
                  <button type="button" className="remove no-print" title={t('inv_removeCompare')} aria-label={t('inv_removeCompare')} onClick={() => props.onRemove(spaceKey(i))}>×</button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, field]) => (
              <tr key={field} data-row={field}>
                <th>{t(label)}</th>
                {props.items.map((i) => <td key={spaceKey(i)}>{f[field](i)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
