// Unit tests of the group notice reader and the chat lines and state it gives, and of the group
// tick rule (✓✓ when every other member got a message, blue when every one read it).
import { describe, expect, it } from 'vitest';
import { encodeProto } from '../src/signal/protobuf.js';
import { toBase64 } from '../src/signal/index.js';
import type { Chat } from '../src/app/data/history.js';
import { applyGroupNotice, NoticeKind, readGroupNotice } from '../src/app/groupNotices.js';
import { tickOf } from '../src/app/groupTicks.js';
import { uuidBytes } from '../src/app/net/ids.js';

const GROUP = '0f8e2b6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CAROL = '33333333-3333-4333-8333-333333333333';
const NAMES: Record<string, string> = { [ALICE]: 'Alice', [BOB]: 'Bob', [CAROL]: 'Carol' };
const utf8 = (s: string) => new TextEncoder().encode(s);

function notice(kind: number, actor: string, users: string[], revision: number, subject = 'Lunch', description = ''): string {
  return toBase64(encodeProto([
    [1, kind],
    [2, uuidBytes(GROUP)],
    [3, uuidBytes(actor)],
    ...users.map((u) => [4, uuidBytes(u)] as [number, Uint8Array]),
    [5, revision],
    [6, utf8(subject)],
    [7, description === '' ? undefined : utf8(description)],
  ]));
}

const chat = (): Chat => ({ id: GROUP, kind: 'group', title: 'Lunch', lastText: '', lastMs: 0, unread: 0, revision: 3 });
const nameOf = (self: string) => async (u: string) => (u === self ? 'You' : NAMES[u] ?? '?');

describe('group notices', () => {
  it('reads every field, repeated users included', () => {
    const read = readGroupNotice(notice(NoticeKind.MEMBERS_ADDED, ALICE, [BOB, CAROL], 7, 'Lunch crew', 'Fridays'))!;
    expect(read).toMatchObject({ kind: NoticeKind.MEMBERS_ADDED, groupId: GROUP, actor: ALICE, users: [BOB, CAROL], revision: 7,
      subject: 'Lunch crew', description: 'Fridays' });
  });

  it('ignores content that is not a notice', () => {
    expect(readGroupNotice(toBase64(Uint8Array.of(0xff, 0xff)))).toBeUndefined();
    expect(readGroupNotice(toBase64(encodeProto([[2, new Uint8Array(3)]])))).toBeUndefined();
    expect(readGroupNotice('%%%')).toBeUndefined();
  });

  it('renames the chat and says so when the name changed', async () => {
    const c = chat();
    const line = await applyGroupNotice(readGroupNotice(notice(NoticeKind.INFO_CHANGED, ALICE, [], 4, 'Dinner'))!, c, BOB, nameOf(BOB));
    expect(line).toBe('Alice changed the group name to "Dinner"');
    expect(c).toMatchObject({ title: 'Dinner', revision: 4 });
  });

  it('leaves a newer state alone when an older notice is replayed', async () => {
    const c = { ...chat(), title: 'Dinner', revision: 9 };
    const line = await applyGroupNotice(readGroupNotice(notice(NoticeKind.INFO_CHANGED, ALICE, [], 4, 'Lunch'))!, c, BOB, nameOf(BOB));
    expect(line).toBe('Alice changed the group info');
    expect(c.title).toBe('Dinner');
  });

  it('lets a pending joiner in when approved, and tells a refused one clearly', async () => {
    const approved = { ...chat(), membership: 'pending' as const };
    expect(await applyGroupNotice(readGroupNotice(notice(NoticeKind.JOINED_BY_LINK, ALICE, [CAROL], 5))!, approved, CAROL, nameOf(CAROL)))
      .toBe('Alice approved your request to join');
    expect(approved.membership).toBeUndefined();
    const refused = { ...chat(), membership: 'pending' as const };
    expect(await applyGroupNotice(readGroupNotice(notice(NoticeKind.JOIN_REJECTED, ALICE, [CAROL], 5))!, refused, CAROL, nameOf(CAROL)))
      .toBe('Your request to join "Lunch" was declined by an admin.');
    expect(refused.membership).toBe('refused');
  });

  it('names who joined by link by themselves, and who left', async () => {
    expect(await applyGroupNotice(readGroupNotice(notice(NoticeKind.JOINED_BY_LINK, BOB, [BOB], 5))!, chat(), ALICE, nameOf(ALICE)))
      .toBe('Bob joined using the invite link');
    const c = chat();
    expect(await applyGroupNotice(readGroupNotice(notice(NoticeKind.MEMBER_LEFT, BOB, [], 6))!, c, BOB, nameOf(BOB))).toBe('You left');
    expect(c.membership).toBe('left');
  });
});

describe('group ticks', () => {
  const m = (deliveredMs: number, readMs: number) => ({ userId: BOB, deliveredMs, readMs });
  it('is delivered once every member got it and read once every member read it', () => {
    expect(tickOf({ sentMs: 1, members: [m(2, 0), m(0, 0)] })).toBeUndefined();
    expect(tickOf({ sentMs: 1, members: [m(2, 0), m(3, 4)] })).toBe('delivered');
    expect(tickOf({ sentMs: 1, members: [m(2, 5), m(3, 4)] })).toBe('read');
    expect(tickOf({ sentMs: 1, members: [] })).toBeUndefined();
  });
});
