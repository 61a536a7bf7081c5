// The device's connection to /v1/sockjs: authenticates, pairs requests with their responses by
// id, hands pushes on, sends heartbeats, and reconnects with backoff (not after 4401, 4409 or
// 4410, which mean the credential is wrong, another tab took over, or the device was removed).
// Requests made while offline wait for the next authenticated connection.
import SockJS from 'sockjs-client';
import { ParleyError } from './failure.js';
import type { DeviceCredentials } from './http.js';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'closed';
export type Body = Record<string, unknown>;
export type Push = Record<string, any>;

const FINAL_CLOSE_CODES: Record<number, string> = {
  4401: 'this device is not (or no longer) registered',
  4409: 'Parley was opened in another tab or window',
  4410: 'this device was removed from the account',
};
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
const REQUEST_TIMEOUT_MS = 20_000;

interface Pending {
  resolve(body: any): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Connection {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: (() => void)[] = [];
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private backoff = MIN_BACKOFF_MS;
  private authenticated = false;
  private stopped = false;
  private pushHandler: (push: Push) => void = () => {};
  private stateHandler: (state: ConnectionState, detail?: string) => void = () => {};
  /** How many times this connection authenticated: 1 on the first connect, more after reconnects. */
  connects = 0;

  constructor(
    private readonly credentials: DeviceCredentials,
    private readonly url: string = '/v1/sockjs',
  ) {}

  onPush(handler: (push: Push) => void): void {
    this.pushHandler = handler;
  }

  onState(handler: (state: ConnectionState, detail?: string) => void): void {
    this.stateHandler = handler;
  }

  get online(): boolean {
    return this.authenticated;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (sign-out, page unload); pending requests fail. */
  stop(): void {
    this.stopped = true;
    this.socket?.close(1000, 'closed by the app');
    this.failPending(new ParleyError(503, 'the connection was closed'));
  }

  /** Drops the socket as a network failure would; the connection comes back by itself. */
  drop(): void {
    this.socket?.close(4000, 'dropped');
  }

  /** Sends one request body (e.g. `{whoami: {}}`) and resolves with the response's body. */
  async request<T = any>(body: Body): Promise<T> {
    while (!this.authenticated) {
      if (this.stopped) throw new ParleyError(503, 'not connected');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return this.send<T>(body);
  }

  private send<T>(body: Body): Promise<T> {
    const id = this.nextId++;
    const field = Object.keys(body)[0]!;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ParleyError(503, `no answer to ${field} in ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: (r) => resolve(r[field] ?? {}), reject, timer });
      this.socket!.send(JSON.stringify({ request: { id: String(id), ...body } }));
    });
  }

  private open(): void {
    this.stateHandler('connecting');
    const socket = new SockJS(this.url, undefined, { transports: ['websocket', 'xhr-streaming', 'xhr-polling'] });
    this.socket = socket as unknown as WebSocket;
    socket.onopen = () => {
      this.send<any>({ authenticate: { userId: this.credentials.userId, deviceId: this.credentials.deviceId, password: this.credentials.password } })
        .then((auth) => this.onAuthenticated(Number(auth.heartbeatSeconds ?? 30)))
        .catch((e: Error) => this.stateHandler('offline', e.message));
    };
    socket.onmessage = (event: MessageEvent) => this.onFrame(String(event.data));
    socket.onclose = (event: CloseEvent) => this.onClose(socket as unknown as WebSocket, event.code, event.reason);
  }

  private onAuthenticated(heartbeatSeconds: number): void {
    this.authenticated = true;
    this.backoff = MIN_BACKOFF_MS;
    this.connects++;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      this.send({ heartbeat: {} }).catch(() => {});
    }, Math.max(1, heartbeatSeconds - 5) * 1000);
    this.stateHandler('online');
    this.waiting.splice(0).forEach((wake) => wake());
  }

  private onFrame(text: string): void {
    let frame: any;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.push !== undefined) {
      this.pushHandler(frame.push);
      return;
    }
    const response = frame.response;
    if (response === undefined) return;
    const pending = this.pending.get(Number(response.id ?? 0));
    if (pending === undefined) return;
    this.pending.delete(Number(response.id));
    clearTimeout(pending.timer);
    if (response.error !== undefined) {
      const error = response.error;
      pending.reject(new ParleyError(Number(error.code ?? 503), String(error.message ?? ''), error.mismatches ?? []));
    } else {
      pending.resolve(response);
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.authenticated = false;
    clearInterval(this.heartbeat);
    this.failPending(new ParleyError(503, 'the connection dropped'));
    const final = FINAL_CLOSE_CODES[code];
    if (this.stopped || final !== undefined) {
      this.stateHandler('closed', final ?? reason);
      return;
    }
    this.stateHandler('offline', reason || `closed (${code})`);
    const delay = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
    setTimeout(() => {
      if (!this.stopped) this.open();
    }, delay);
  }

  private failPending(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}
