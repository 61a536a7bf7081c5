// Web Push for this device: registers the service worker (/sw.js, scope /), asks permission,
// subscribes with the node's VAPID key (push_config) and hands the subscription to the node
// (register_push), which then wakes this device while it has no connection. Turning it off (or
// signing out) unsubscribes in the browser and on the node.
import { fromBase64, toBase64 } from '../../signal/index.js';
import type { Connection } from '../net/connection.js';
import { ParleyError } from '../net/failure.js';

const WORKER_URL = '/sw.js';
/** The subscription keys as PushSubscription.toJSON() gives them (base64url). */
export interface SubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * TEST HOOK, off unless a test defines it before the app loads: `window.parleyTestPushSubscription`
 * replaces `pushManager.subscribe`. Headless Chromium here reaches no push service, so a browser
 * test makes its own subscription (keys it can decrypt with, an endpoint on loopback) and the app
 * registers that one. Everything else (worker, permission, registration, notification) is real.
 */
function testSubscription(): SubscriptionJson | undefined {
  return (globalThis as { parleyTestPushSubscription?: SubscriptionJson }).parleyTestPushSubscription;
}

export class WebPush {
  constructor(private readonly connection: Connection) {}

  static get supported(): boolean {
    return 'serviceWorker' in navigator && 'PushManager' in globalThis && 'Notification' in globalThis;
  }

  /** Whether this browser holds a subscription (the node has it once `enable` succeeded). */
  async enabled(): Promise<boolean> {
    if (!WebPush.supported || Notification.permission !== 'granted') return false;
    const registration = await navigator.serviceWorker.getRegistration('/');
    return testSubscription() !== undefined ? registration !== undefined
      : (await registration?.pushManager.getSubscription()) != null;
  }

  /** Asks permission (call it from a click), subscribes and registers the subscription with the node. */
  async enable(): Promise<void> {
    if (!WebPush.supported) throw new ParleyError(400, 'this browser has no service workers or Web Push');
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') throw new ParleyError(403, `notifications are ${permission} for this site in the browser's settings`);
    const registration = await this.worker();
    const subscription = testSubscription() ?? (await this.subscribe(registration));
    await this.register(subscription);
  }

  /** On every connect: the node may have forgotten a subscription the push service called gone. */
  async refresh(): Promise<void> {
    if (!(await this.enabled())) return;
    const registration = await this.worker();
    await this.register(testSubscription() ?? (await this.subscribe(registration)));
  }

  async disable(): Promise<void> {
    const registration = WebPush.supported ? await navigator.serviceWorker.getRegistration('/') : undefined;
    await (await registration?.pushManager.getSubscription())?.unsubscribe();
    // The worker only shows wakes: without it nothing subscribes again at the next connect.
    await registration?.unregister();
    await this.connection.request({ unregisterPush: {} });
  }

  private async worker(): Promise<ServiceWorkerRegistration> {
    await navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
    return navigator.serviceWorker.ready;
  }

  private async subscribe(registration: ServiceWorkerRegistration): Promise<SubscriptionJson> {
    const existing = await registration.pushManager.getSubscription();
    if (existing !== null) return existing.toJSON() as SubscriptionJson;
    const config = await this.connection.request<{ vapidPublicKey?: string }>({ pushConfig: {} });
    if (config.vapidPublicKey === undefined) throw new ParleyError(409, 'this node has no Web Push key configured');
    try {
      const made = await registration.pushManager.subscribe({ userVisibleOnly: true,
        applicationServerKey: fromBase64(config.vapidPublicKey) as Uint8Array<ArrayBuffer> });
      return made.toJSON() as SubscriptionJson;
    } catch (e) {
      throw new ParleyError(503, `the browser's push service refused the subscription: ${(e as Error).message}`);
    }
  }

  private async register(subscription: SubscriptionJson): Promise<void> {
    await this.connection.request({ registerPush: { webPush: { endpoint: subscription.endpoint,
      p256dh: standardBase64(subscription.keys.p256dh), auth: standardBase64(subscription.keys.auth) } } });
  }
}

/** Protobuf JSON bytes are standard base64; PushSubscription gives base64url without padding. */
function standardBase64(url: string): string {
  const padded = url.replace(/-/g, '+').replace(/_/g, '/');
  return toBase64(fromBase64(padded + '='.repeat((4 - (padded.length % 4)) % 4)));
}
