// A small typed event hub between the app's core and its views.
export interface Events {
  state: { state: string; detail?: string };
  chats: undefined;
  messages: { chatId: string };
  typing: { chatId: string; userId: string; typing: boolean };
  presence: { userId: string; online: boolean; lastSeenMs: number };
  error: { text: string };
  drained: { replayed: number };
  group: { groupId: string }; // a group's members, settings or join requests changed
}

type Handler<T> = (value: T) => void;

export class EventHub {
  private readonly handlers = new Map<keyof Events, Set<Handler<any>>>();

  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>): () => void {
    let set = this.handlers.get(event);
    if (set === undefined) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    this.handlers.get(event)?.forEach((h) => h(value));
  }
}
