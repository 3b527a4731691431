import { useState, type FormEvent } from 'react';
import { useAction } from '../api/useAction.ts';
import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { adminApi, KEY_SCOPES, type ApiKey, type KeyScope } from './admin-api.ts';
import { ParkPicker, ParksLabel } from './ParkPicker.tsx';
import { SecretBox } from './SecretBox.tsx';
import { formatWhen } from './UsersPanel.tsx';
import { useList } from './useList.ts';

const scopeLabel = (scope: KeyScope) => `scope_${scope}` as MessageKey;

function NewKeyForm(props: { parks: NamedZone[]; onCreated: (created: { key: ApiKey; secret: string }) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<KeyScope[]>(['read']);
  const [parks, setParks] = useState<string[] | null>(null);
  const [rate, setRate] = useState('');
  const [expires, setExpires] = useState('');
  const { busy, error, run } = useAction();

  const toggle = (scope: KeyScope) =>
    setScopes((s) => KEY_SCOPES.filter((k) => (k === scope ? !s.includes(k) : s.includes(k))));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const created = await adminApi.createKey({
        name: name.trim(),
        scopes,
        parks,
        ...(rate ? { rate_limit_per_minute: Number(rate) } : {}),
        ...(expires ? { expires_at: expires } : {}),
      });
      setName('');
      setScopes(['read']);
      setParks(null);
      setRate('');
      setExpires('');
      props.onCreated(created);
    });
  };

  return (
    <details className="admin-form">
      <summary data-testid="new-key-toggle">{t('adm_newKey')}</summary>
      <form data-testid="new-key-form" onSubmit={submit}>
        <label className="field">
          {t('adm_keyName')}
          <input type="text" required maxLength={100} data-testid="new-key-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset data-testid="new-key-scopes">
          <legend>{t('adm_scopes')}</legend>
          {KEY_SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" data-scope={s} checked={scopes.includes(s)} onChange={() => toggle(s)} /> {t(scopeLabel(s))}
            </label>
          ))}
        </fieldset>
        <ParkPicker parks={props.parks} value={parks} onChange={setParks} testid="new-key-parks" />
        <label className="field">
          {t('adm_rateLimit')}
          <input type="number" min={1} max={1000000} step={1} placeholder="600" data-testid="new-key-rate" value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
        <label className="field">
          {t('adm_expires')}
          <input type="date" data-testid="new-key-expires" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
        {error && <p className="error" role="alert" data-testid="new-key-error">{error}</p>}
        <div className="form-actions">
          <button type="submit" disabled={busy || scopes.length === 0} data-testid="new-key-submit">{t('adm_create')}</button>
        </div>
      </form>
    </details>
  );
}

function keyState(key: ApiKey): 'revoked' | 'expired' | 'active' {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

/** Keys for other agencies' systems: create one (its secret shown once), see their use, revoke. */
export function KeysPanel(props: { parks: NamedZone[] }) {
  const { t, lang, num } = useI18n();
  const keys = useList(adminApi.keys);
  const [fresh, setFresh] = useState<{ name: string; secret: string } | null>(null);
  const { error, run } = useAction();

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(t('adm_revokeConfirm').replace('{name}', key.name))) return;
    await run(() => adminApi.revokeKey(key.id));
    keys.reload();
  };

  return (
    <section className="panel admin-keys" data-testid="admin-keys">
      <h2>{t('adm_keys')} {keys.items && <small>{keys.items.length}</small>}</h2>
      {keys.error && <p className="error">{t('adm_loadFailed')}: {keys.error}</p>}
      <NewKeyForm parks={props.parks} onCreated={({ key, secret }) => {
        setFresh({ name: key.name, secret });
        keys.reload();
      }} />
      {fresh && <SecretBox name={fresh.name} secret={fresh.secret} onDone={() => setFresh(null)} />}
      {error && <p className="error" role="alert">{error}</p>}
      {keys.items?.length === 0 && <p className="muted">{t('adm_noKeys')}</p>}
      <table className="admin-table" data-testid="key-list">
        <thead>
          <tr><th>{t('adm_keyName')}</th><th>{t('adm_scopes')}</th><th>{t('adm_parks')}</th><th>{t('adm_lastUsed')}</th><th /></tr>
        </thead>
        <tbody>
          {keys.items?.map((k) => {
            const state = keyState(k);
            return (
              <tr key={k.id} data-testid="key-row" data-key-id={k.id} data-state={state} className={state === 'active' ? '' : 'disabled'}>
                <td>
                  <strong>{k.name}</strong>
                  <div className="muted">
                    <code>{k.id}</code> · {k.created_by} · {formatWhen(lang, k.created_at)}
                  </div>
                  <div className="muted">
                    {num(k.rate_limit_per_minute, 0)} {t('adm_perMinute')}{k.expires_at && <> · {t('adm_expiresOn')} {k.expires_at.slice(0, 10)}</>}
                  </div>
                </td>
                <td>{k.scopes.map((s) => t(scopeLabel(s))).join(', ')}</td>
                <td><ParksLabel parks={k.parks} /></td>
                <td>{formatWhen(lang, k.last_used_at) ?? <span className="muted">{t('adm_never')}</span>}</td>
                <td>
                  {state === 'active' ? (
                    <button type="button" className="link danger" data-testid="key-revoke" onClick={() => void revoke(k)}>{t('adm_revoke')}</button>
                  ) : (
                    <span className="muted" data-testid="key-state">{t(state === 'revoked' ? 'adm_revoked' : 'adm_expired')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
