// Serializes operations on the same stored record. Every operation loads a record, awaits the store
// and writes it back; two of them interleaving on one peer would lose one's update (a reused
// message key, a forgotten skipped key), so they queue per (store, record key).
const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function withRecordLock<T>(store: object, key: string, operation: () => Promise<T>): Promise<T> {
  let perStore = queues.get(store);
  if (perStore === undefined) {
    perStore = new Map();
    queues.set(store, perStore);
  }
  const previous = perStore.get(key) ?? Promise.resolve();
  const result = previous.then(operation, operation);
  // The queue continues whether this operation succeeds or fails.
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  perStore.set(key, tail);
  try {
    return await result;
  } finally {
    if (perStore.get(key) === tail) perStore.delete(key);
  }
}
