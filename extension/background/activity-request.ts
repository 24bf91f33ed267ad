// The agency pages' activity search (issue 12): one page of the whole log's activity, found here in the
// background, where the log is. Each replica gets its archive (replica/activity-archive.ts) on its first
// search; a replica that is removed takes its archive with it.

import type { Request, Response, ResponseValues } from '../messaging/types.ts';
import { ActivityArchive } from '../replica/activity-archive.ts';
import type { Replica } from '../replica/replica.ts';

const archives = new WeakMap<Replica, ActivityArchive>();

export async function activityRequest(
  replica: Replica,
  request: Extract<Request, { kind: 'activity' }>,
): Promise<Response<ResponseValues['activity']>> {
  let archive = archives.get(replica);
  if (!archive) {
    archive = new ActivityArchive(replica.log);
    archives.set(replica, archive);
  }
  const f = request.filter;
  const value = await archive.page(
    { member: f.member ?? null, kind: f.kind ?? null, month: f.month ?? null, text: f.text ?? '' },
    request.page,
    request.size,
  );
  return { ok: true, value };
}
