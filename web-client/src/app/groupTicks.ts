// Ticks of this user's own group messages. The server records each member's group receipts but
// pushes none to the sender (a 1,024-member group would send it a thousand receipts per message);
// the sender asks `message_info` instead, as WhatsApp's "message info" does. While a group chat is
// on screen, its latest own messages that are not yet read by everyone are asked about every few
// seconds: ✓✓ once every other member got it, blue ✓✓ once every one read it.
//
// Privacy, as the server applies it to 1:1 receipts: a user who turned read receipts off sends no
// READ group receipts and sees no one's reads (ticks stop at ✓✓ delivered, times are hidden).
import type { History, Message, Tick } from './data/history.js';
import type { EventHub } from './events.js';
import type { Connection } from './net/connection.js';
import { uuidFromBase64, uuidToBase64 } from './net/ids.js';

const POLL_MS = 3_000;
/** How many of the newest unresolved own messages one poll asks about. */
const MAX_ASKED = 10;

export interface MemberReceipt {
  userId: string;
  deliveredMs: number;
  readMs: number;
}

export interface MessageInfo {
  sentMs: number;
  members: MemberReceipt[];
}

export class GroupTicks {
  /** This user's privacy setting, kept current by the app. */
  readReceiptsOff = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling = false;

  constructor(private readonly connection: Connection, private readonly history: History, private readonly events: EventHub) {}

  /** Polls this group chat while it is open; undefined (another chat, or none) stops. */
  watch(groupId: string | undefined): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (groupId === undefined) return;
    void this.refresh(groupId);
    this.timer = setInterval(() => void this.refresh(groupId), POLL_MS);
  }

  /** Who got and read one of this user's group messages (reads hidden when read receipts are off). */
  async info(groupId: string, messageId: string): Promise<MessageInfo> {
    const answer = await this.connection.request<any>({ messageInfo: { groupId: uuidToBase64(groupId), messageId: uuidToBase64(messageId) } });
    return {
      sentMs: Number(answer.sentMs ?? 0),
      members: (answer.members ?? []).map((m: any) => ({
        userId: uuidFromBase64(m.userId),
        deliveredMs: Number(m.deliveredMs ?? 0),
        readMs: this.readReceiptsOff ? 0 : Number(m.readMs ?? 0),
      })),
    };
  }

  /** Asks about the newest own messages of the chat not yet read by all, and moves their ticks. */
  async refresh(groupId: string): Promise<void> {
    if (this.polling || document.visibilityState !== 'visible') return;
    this.polling = true;
    try {
      const open = (await this.history.messages(groupId))
        .filter((m) => m.outgoing && m.serverId !== undefined && (m.tick === 'sent' || (m.tick === 'delivered' && !this.readReceiptsOff)))
        .slice(-MAX_ASKED);
      let moved = false;
      for (const message of open) moved = (await this.update(groupId, message)) || moved;
      if (moved) this.events.emit('messages', { chatId: groupId });
    } finally {
      this.polling = false;
    }
  }

  private async update(groupId: string, message: Message): Promise<boolean> {
    const info = await this.info(groupId, message.serverId!).catch(() => undefined);
    if (info === undefined) return false;
    const tick = tickOf(info);
    return tick !== undefined && this.history.advance(message, tick);
  }
}

/** ✓✓ when every other member has it, read when every one read it; undefined while someone lacks it. */
export function tickOf(info: MessageInfo): Tick | undefined {
  if (info.members.length === 0) return undefined;
  if (info.members.every((m) => m.readMs > 0)) return 'read';
  if (info.members.every((m) => m.deliveredMs > 0 || m.readMs > 0)) return 'delivered';
  return undefined;
}
