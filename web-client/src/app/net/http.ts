// The HTTP calls made before a device has credentials: request a verification code, register,
// link a companion device. Bodies and answers are canonical protobuf JSON.
import { ParleyError } from './failure.js';

export interface DeviceCredentials {
  userId: string; // base64, as on the wire
  deviceId: number;
  password: string;
}

async function post<T>(path: string, body: object): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ParleyError(503, `cannot reach the server: ${(e as Error).message}`);
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ParleyError(response.ok ? 503 : response.status, `unreadable answer: ${text.slice(0, 200)}`);
  }
  if (!response.ok) throw new ParleyError(Number(json.code ?? response.status), String(json.message ?? response.statusText));
  return json as T;
}

export function requestCode(username: string): Promise<{ expiresMs?: string }> {
  return post('/v1/accounts/code', { username });
}

export async function register(username: string, code: string, deviceName: string): Promise<DeviceCredentials> {
  const answer = await post<DeviceCredentials>('/v1/accounts', { username, code, deviceName });
  return { userId: answer.userId, deviceId: answer.deviceId ?? 1, password: answer.password };
}

export async function link(code: string, deviceName: string): Promise<DeviceCredentials> {
  const answer = await post<DeviceCredentials>('/v1/devices/link', { code, deviceName });
  return { userId: answer.userId, deviceId: answer.deviceId, password: answer.password };
}
