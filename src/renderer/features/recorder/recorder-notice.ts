import type { RecorderStatus } from '../../../shared/recording';

/**
 * The recorder status's `notice`: what the Node side says that no request of the user's answered
 * (a take that stopped by itself, a take saved by a disarm elsewhere).
 */

/**
 * Which notice to show for a status, given the last one seen: a new non-null one, once. The last
 * seen is forgotten only once a take is armed (the Node side clears its notice then), so a
 * status answered before the notice was set, arriving late, does not bring the same one back.
 */
export function nextStatusNotice(
  lastSeen: string | null,
  status: Pick<RecorderStatus, 'state' | 'notice'>,
): { show: string | null; seen: string | null } {
  const notice = status.notice ?? null;
  if (notice === null) return { show: null, seen: status.state === 'idle' ? lastSeen : null };
  return notice === lastSeen ? { show: null, seen: lastSeen } : { show: notice, seen: notice };
}

/**
 * How to show a status notice. A take that stopped by itself (disk full, every source lost) is an
 * error that stays until dismissed: the user may be away from the screen. The notice has no field
 * for this, so its words tell (take-saved.ts and recorder-session.ts on the Node side).
 */
export function statusNoticeKind(notice: string): { kind: 'error' | 'info'; sticky: boolean } {
  if (/\brecording stopped\b|saving what was recorded/i.test(notice))
    return { kind: 'error', sticky: true };
  const problem = /\bfailed\b|could not|stopped early|interrupted|no track held|not found/i;
  return { kind: problem.test(notice) ? 'error' : 'info', sticky: false };
}
