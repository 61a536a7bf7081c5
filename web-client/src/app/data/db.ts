// The app's IndexedDB database, one per browser profile: `kv` (account, settings, device lists,
// sender-key hand-outs), `signal` (identity, sessions, prekeys, sender keys), `chats`,
// `messages` (indexed by chat and time, for history and search) and `seen` (envelopes already
// handled, so a replay after a reconnect changes nothing).
const NAME = 'parley';
const VERSION = 1;

export type StoreName = 'kv' | 'signal' | 'chats' | 'messages' | 'seen';

export class Database {
  private constructor(private readonly db: IDBDatabase) {}

  /** Closes and deletes this database (signing out of this browser). */
  destroy(): Promise<void> {
    this.db.close();
    return new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(this.db.name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }

  static open(name: string = NAME): Promise<Database> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('kv');
        db.createObjectStore('signal');
        db.createObjectStore('chats', { keyPath: 'id' });
        const messages = db.createObjectStore('messages', { keyPath: 'key' });
        messages.createIndex('byChat', ['chatId', 'sentMs']);
        messages.createIndex('byServerId', 'serverId');
        db.createObjectStore('seen');
      };
      request.onsuccess = () => resolve(new Database(request.result));
      request.onerror = () => reject(request.error);
    });
  }

  get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
    return this.run(store, 'readonly', (s) => s.get(key));
  }

  put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<void> {
    return this.run(store, 'readwrite', (s) => s.put(value, key)).then(() => undefined);
  }

  delete(store: StoreName, key: IDBValidKey): Promise<void> {
    return this.run(store, 'readwrite', (s) => s.delete(key)).then(() => undefined);
  }

  all<T>(store: StoreName): Promise<T[]> {
    return this.run(store, 'readonly', (s) => s.getAll());
  }

  /** Every [key, value] of a store without key path (the Signal records). */
  entries<T>(store: StoreName): Promise<[string, T][]> {
    return new Promise((resolve, reject) => {
      const out: [string, T][] = [];
      const request = this.db.transaction(store, 'readonly').objectStore(store).openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (cursor === null) return resolve(out);
        out.push([String(cursor.key), cursor.value as T]);
        cursor.continue();
      };
      request.onerror = () => reject(request.error);
    });
  }

  /** Values of an index between two keys, in index order. */
  range<T>(store: StoreName, index: string, from: IDBValidKey, to: IDBValidKey): Promise<T[]> {
    return this.run(store, 'readonly', (s) => s.index(index).getAll(IDBKeyRange.bound(from, to)));
  }

  byIndex<T>(store: StoreName, index: string, key: IDBValidKey): Promise<T | undefined> {
    return this.run(store, 'readonly', (s) => s.index(index).get(key));
  }

  private run<T>(store: StoreName, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest): Promise<T> {
    return new Promise((resolve, reject) => {
      const request = work(this.db.transaction(store, mode).objectStore(store));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  }
}
