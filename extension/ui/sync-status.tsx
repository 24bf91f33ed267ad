// Sync status in words: synced / syncing / "offline — N actions waiting" / not syncing, and why. "Reconnect
// now" is offered only where dialling again can help (an outage, or a stop the server may answer differently).
import type { SyncView } from '../messaging/types.ts';
import { canRetrySync, syncText } from './format.ts';

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
      {onReconnect && canRetrySync(sync) ? (
        <button type="button" class="link" onClick={onReconnect}>
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}
