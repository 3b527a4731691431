import type { NamedZone } from '../api/client.ts';
import { KeysPanel } from './KeysPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

/** The admin tab: who may sign in, and which systems may call the API. The API checks the 'admin' permission on every call. */
export function AdminView(props: { parks: NamedZone[] }) {
  return (
    <div className="admin" data-testid="admin">
      <UsersPanel parks={props.parks} />
      <KeysPanel parks={props.parks} />
    </div>
  );
}
