import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The contract of POST /api/imports and GET /api/imports/{id} (DESIGN.md), as far as the panel reads it. */
interface ImportJob {
  id: string;
  mode: 'dry-run' | 'commit';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number; phase: string };
  counts: Record<string, unknown>;
  problems: { row: number; field?: string; code: string; message: string }[];
  problem_count: number;
  diff: { counts: { added: number; changed: number; unchanged: number; absent: number } } | null;
  error: string | null;
}

const COLLECTIONS = ['parcels', 'buildings', 'units', 'enterprises', 'projects', 'parks', 'areas', 'corridors'] as const;
const CRSS = ['', 'EPSG:4326', 'EPSG:4490', 'EPSG:4548', 'EPSG:4527', 'EPSG:4549', 'GCJ-02'] as const;
const SHOWN_PROBLEMS = 200;
const LABEL = { display: 'grid', gap: 2, fontSize: 13 } as const;

/**
 * Bulk import: pick a file and a collection, run a dry run, read its problems and diff, then commit
 * the same file. The job is polled until it ends; its progress is rows done of rows total.
 */
export function ImportPanel() {
  const { t, num } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [collection, setCollection] = useState<(typeof COLLECTIONS)[number]>('parcels');
  const [crs, setCrs] = useState<(typeof CRSS)[number]>('');
  const [mode, setMode] = useState<'dry-run' | 'commit'>('dry-run');
  const [department, setDepartment] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = job !== null && (job.status === 'queued' || job.status === 'running');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const poll = async () => {
      try {
        const res = await apiFetch(`/api/imports/${encodeURIComponent(jobId)}`);
        const body = (await res.json()) as ImportJob & { error?: unknown };
        if (stopped) return;
        if (!res.ok) throw new Error((body.error as { message?: string })?.message ?? res.statusText);
        setJob(body);
        if (body.status === 'queued' || body.status === 'running') timer.current = setTimeout(poll, 500);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer.current);
    };
  }, [jobId]);

  const start = async (runMode: 'dry-run' | 'commit') => {
    if (!file) return;
    setError(null);
    setJob(null);
    const form = new FormData();
    form.set('collection', collection);
    form.set('mode', runMode);
    if (crs) form.set('crs', crs);
    if (department.trim()) form.set('department', department.trim());
    form.set('file', file);
    try {
      const res = await apiFetch('/api/imports', { method: 'POST', body: form });
      const body = await res.json();
      if (res.status !== 202) throw new Error(body?.error?.message ?? res.statusText);
      setJobId(body.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const diff = job?.diff?.counts;
  const canCommit = job?.mode === 'dry-run' && job.status === 'succeeded' && job.problem_count === 0;
  return (
    <section className="panel import-panel" data-testid="import-panel">
      <details>
        <summary data-testid="import-toggle"><h2 style={{ display: 'inline' }}>{t('import_title')}</h2></summary>
        <form
          style={{ display: 'grid', gap: 6, marginTop: 8 }}
          onSubmit={(e) => {
            e.preventDefault();
            void start(mode);
          }}
        >
          <label style={LABEL}>
            {t('import_file')}
            <input type="file" name="file" data-testid="import-file" accept=".geojson,.json,.csv,.zip,.gpkg" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <label style={LABEL}>
            {t('import_collection')}
            <select name="collection" value={collection} onChange={(e) => setCollection(e.target.value as typeof collection)}>
              {COLLECTIONS.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label style={LABEL}>
            {t('import_crs')}
            <select name="crs" value={crs} onChange={(e) => setCrs(e.target.value as typeof crs)}>
              {CRSS.map((c) => <option key={c} value={c}>{c === '' ? t('import_crs_auto') : c === 'GCJ-02' ? t('import_crs_gcj02') : c}</option>)}
            </select>
          </label>
          <label style={LABEL}>
            {t('import_mode')}
            <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
              <option value="dry-run">{t('import_mode_dry_run')}</option>
              <option value="commit">{t('import_mode_commit')}</option>
            </select>
          </label>
          <label style={LABEL}>
            {t('import_department')}
            <input type="text" name="department" value={department} maxLength={500} onChange={(e) => setDepartment(e.target.value)} />
          </label>
          <button type="submit" data-testid="import-start" disabled={!file || busy} style={{ justifySelf: 'start' }}>{t('import_start')}</button>
        </form>
        {error && <p className="error" role="alert">{error}</p>}
        {job && (
          <div className="import-job" data-testid="import-job" data-mode={job.mode} data-status={job.status}>
            <p>
              {t(`import_status_${job.status}`)}{' '}
              <progress data-testid="import-progress" max={Math.max(job.progress.total, 1)} value={job.status === 'succeeded' ? job.progress.total : job.progress.done} />{' '}
              {num(job.progress.done, 0)} / {num(job.progress.total, 0)}
            </p>
            {job.error && <p className="error">{job.error}</p>}
            {diff && (
              <p data-testid="import-diff">
                {t('import_added')} {num(diff.added, 0)} · {t('import_changed')} {num(diff.changed, 0)} · {t('import_unchanged')} {num(diff.unchanged, 0)} · {t('import_absent')} {num(diff.absent, 0)}
              </p>
            )}
            {canCommit && <button type="button" data-testid="import-commit" onClick={() => void start('commit')}>{t('import_commit_now')}</button>}
            {job.problems.length > 0 && (
              <table className="import-problems" style={{ fontSize: 12, borderCollapse: 'collapse', width: '100%' }}>
                <caption>{t('import_problems')}: {num(job.problem_count, 0)}</caption>
                <thead>
                  <tr><th>{t('import_row')}</th><th>{t('import_field')}</th><th>{t('import_reason')}</th></tr>
                </thead>
                <tbody>
                  {job.problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
                    <tr key={i} data-testid="import-problem" data-code={p.code}><td>{p.row}</td><td>{p.field ?? ''}</td><td title={p.code}>{p.message}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            {job.problem_count > SHOWN_PROBLEMS && <p>{num(job.problem_count - SHOWN_PROBLEMS, 0)} {t('import_more_problems')}</p>}
          </div>
        )}
      </details>
    </section>
  );
}
