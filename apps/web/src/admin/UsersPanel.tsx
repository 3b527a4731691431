import { useState, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../api/useAction.ts';
import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { adminApi, MIN_PASSWORD, USER_ROLES, type AdminUser, type UserChange, type UserRole } from './admin-api.ts';
import { ParkPicker, ParksLabel } from './ParkPicker.tsx';
import { useList } from './useList.ts';

const USERNAME = '^[a-z0-9][a-z0-9._\\-]{1,63}$';

export function formatWhen(lang: string, iso: string | null): string | null {
  return iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }) : null;
}

function NewUserForm(props: { parks: NamedZone[]; onCreated: (user: AdminUser) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserRole>('planner');
  const [parks, setParks] = useState<string[] | null>(null);
  const [department, setDepartment] = useState('');
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const user = await adminApi.createUser({
        username: username.trim(),
        password,
        role,
        parks,
        ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
        ...(department.trim() ? { department: department.trim() } : {}),
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setDepartment('');
      setParks(null);
      props.onCreated(user);
    });
  };

  return (
    <details className="admin-form">
      <summary data-testid="new-user-toggle">{t('adm_newUser')}</summary>
      <form data-testid="new-user-form" onSubmit={submit}>
        <label className="field">
          {t('adm_username')} <small>{t('adm_usernameHint')}</small>
          <input type="text" required pattern={USERNAME} maxLength={64} autoComplete="off" data-testid="new-user-username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          {t('adm_displayName')}
          <input type="text" maxLength={100} data-testid="new-user-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label className="field">
          {t('adm_password')}
          <input type="password" required minLength={MIN_PASSWORD} maxLength={1024} autoComplete="new-password" data-testid="new-user-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="field">
          {t('adm_role')}
          <select data-testid="new-user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
          </select>
        </label>
        <ParkPicker parks={props.parks} value={parks} onChange={setParks} testid="new-user-parks" />
        <label className="field">
          {t('adm_department')}
          <input type="text" maxLength={100} data-testid="new-user-department" value={department} onChange={(e) => setDepartment(e.target.value)} />
        </label>
        {error && <p className="error" role="alert" data-testid="new-user-error">{error}</p>}
        <div className="form-actions">
          <button type="submit" disabled={busy} data-testid="new-user-submit">{t('adm_create')}</button>
        </div>
      </form>
    </details>
  );
}

/** Changes one user: name, role, parks, disabled, and a new password. Only what was changed is sent. */
function UserEditor(props: { user: AdminUser; parks: NamedZone[]; onSaved: (user: AdminUser) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const u = props.user;
  const [displayName, setDisplayName] = useState(u.display_name);
  const [role, setRole] = useState<UserRole>(u.role);
  const [parks, setParks] = useState<string[] | null>(u.parks);
  const [disabled, setDisabled] = useState(u.disabled);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const change: UserChange = {};
    if (displayName.trim() !== u.display_name) change.display_name = displayName.trim();
    if (role !== u.role) change.role = role;
    if (JSON.stringify(parks) !== JSON.stringify(u.parks)) change.parks = parks;
    if (disabled !== u.disabled) change.disabled = disabled;
    if (password) change.password = password;
    if (Object.keys(change).length === 0) return props.onCancel();
    void run(async () => props.onSaved(await adminApi.updateUser(u.username, change))).then(() => setPassword(''));
  };

  return (
    <form className="user-editor" data-testid="user-editor" onSubmit={submit}>
      <label className="field">
        {t('adm_displayName')}
        <input type="text" required maxLength={100} data-testid="edit-user-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label className="field">
        {t('adm_role')}
        <select data-testid="edit-user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          {USER_ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
        </select>
      </label>
      <ParkPicker parks={props.parks} value={parks} onChange={setParks} testid="edit-user-parks" />
      <label className="check">
        <input type="checkbox" data-testid="edit-user-disabled" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} /> {t('adm_disabled')}
      </label>
      <label className="field">
        {t('adm_newPassword')}
        <input type="password" minLength={MIN_PASSWORD} maxLength={1024} autoComplete="new-password" data-testid="edit-user-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p className="error" role="alert" data-testid="edit-user-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" disabled={busy} data-testid="edit-user-save">{t('adm_save')}</button>
        <button type="button" className="link" onClick={props.onCancel}>{t('adm_cancel')}</button>
      </div>
    </form>
  );
}

/** Everyone who may sign in: create one, change role, parks or status, set a new password. */
export function UsersPanel(props: { parks: NamedZone[] }) {
  const { t, lang } = useI18n();
  const users = useList(adminApi.users);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="panel admin-users" data-testid="admin-users">
      <h2>{t('adm_users')} {users.items && <small>{users.items.length}</small>}</h2>
      {users.error && <p className="error">{t('adm_loadFailed')}: {users.error}</p>}
      <NewUserForm parks={props.parks} onCreated={(u) => {
        setNotice(`${t('adm_created')}: ${u.username}`);
        users.reload();
      }} />
      {notice && <p className="notice" data-testid="admin-users-notice">{notice}</p>}
      {users.items?.length === 0 && <p className="muted">{t('adm_noUsers')}</p>}
      <table className="admin-table" data-testid="user-list">
        <thead>
          <tr><th>{t('adm_username')}</th><th>{t('adm_role')}</th><th>{t('adm_parks')}</th><th>{t('adm_lastLogin')}</th><th /></tr>
        </thead>
        <tbody>
          {users.items?.map((u) => (
            <UserRow key={u.username} user={u} lang={lang} editing={editing === u.username} onEdit={() => setEditing(editing === u.username ? null : u.username)}>
              <UserEditor user={u} parks={props.parks} onCancel={() => setEditing(null)} onSaved={(saved) => {
                setEditing(null);
                setNotice(`${t('adm_saved')}: ${saved.username}`);
                users.reload();
              }} />
            </UserRow>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UserRow(props: { user: AdminUser; lang: string; editing: boolean; onEdit: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const u = props.user;
  return (
    <>
      <tr data-testid="user-row" data-username={u.username} data-role={u.role} data-disabled={u.disabled} className={u.disabled ? 'disabled' : ''}>
        <td>
          <strong>{u.username}</strong>
          <div className="muted">{u.display_name}{u.department ? ` · ${u.department}` : ''}</div>
        </td>
        <td>{t(`role_${u.role}`)}{u.disabled && <div className="error">{t('adm_disabled')}</div>}</td>
        <td><ParksLabel parks={u.parks} /></td>
        <td>{formatWhen(props.lang, u.last_login_at) ?? <span className="muted">{t('adm_never')}</span>}</td>
        <td><button type="button" className="link" data-testid="user-edit" onClick={props.onEdit}>{t('adm_edit')}</button></td>
      </tr>
      {props.editing && (
        <tr className="editor-row">
          <td colSpan={5}>{props.children}</td>
        </tr>
      )}
    </>
  );
}
