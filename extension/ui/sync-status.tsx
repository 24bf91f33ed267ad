// Sync status in words: synced / syncing / "offline — N actions waiting" / stopped with the server's reason.
import type { SyncView } from '../messaging/types.ts';
import { syncText } from './format.ts';

export function SyncStatus({
  sync,
  now,
  onReconnect,
}: {
  sync: SyncView;
  now: number;
  onReconnect?: () => void;
}) {
  return (
    <div class={`sync sync-${sync.status}`}>
      <p role="status" data-testid="sync-status">
        <span class="dot" aria-hidden="true" />
        {syncText(sync, now)}
      </p>
      {onReconnect && (sync.status === 'offline' || sync.status === 'stopped') ? (
        <button type="button" class="link" onClick={onReconnect}>
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}
