// Picks which agency the popup and pages show, when the member belongs to more than one.
import type { OverviewView } from '../messaging/types.ts';
import type { Send } from './client.ts';

export function AgencySwitcher({ overview, send }: { overview: OverviewView; send: Send }) {
  if (overview.agencies.length < 2) return null;
  return (
    <label class="inline">
      Agency
      <select
        value={overview.selected ?? ''}
        onChange={(e) => void send({ kind: 'select', agencyId: (e.target as HTMLSelectElement).value })}
      >
        {overview.agencies.map((a) => (
          <option key={a.agencyId} value={a.agencyId}>
            {a.name}
          </option>
        ))}
      </select>
    </label>
  );
}
