// The chat line of a call that was not answered, from the server's CallNotice (a SYSTEM envelope
// in each of the callee's devices' inboxes, so a device that was offline still shows it).
const OUTCOMES = ['ANSWERED', 'MISSED', 'REJECTED', 'BUSY'];

export function callNoticeText(notice: any, callerName: string): string {
  const outcome = typeof notice.outcome === 'number' ? OUTCOMES[notice.outcome] : notice.outcome ?? 'ANSWERED';
  const what = notice.group === true ? 'group call' : notice.video === true ? 'video call' : 'voice call';
  if (outcome === 'BUSY') return `${callerName} tried to call you (${what}) while you were on another call.`;
  return `Missed ${what} from ${callerName}`;
}
