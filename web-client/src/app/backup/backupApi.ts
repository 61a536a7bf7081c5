// The node's backup store (PUT/GET /v1/backup, one opaque blob per account), called with this
// device's credentials as Basic authentication. Errors are the node's, as ParleyErrors.
import type { DeviceCredentials } from '../net/http.js';
import { ParleyError } from '../net/failure.js';
import { uuidFromBase64 } from '../net/ids.js';

const PATH = '/v1/backup';

function authorization(credentials: DeviceCredentials): string {
  const user = uuidFromBase64(credentials.userId);
  const pair = new TextEncoder().encode(`${user}.${credentials.deviceId}:${credentials.password}`);
  return `Basic ${btoa(String.fromCharCode(...pair))}`;
}

async function call(credentials: DeviceCredentials, method: 'PUT' | 'GET', body?: Uint8Array): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(PATH, { method, headers: { authorization: authorization(credentials),
      ...(body === undefined ? {} : { 'content-type': 'application/octet-stream' }) },
    ...(body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }) });
  } catch (e) {
    throw new ParleyError(503, `cannot reach the server: ${(e as Error).message}`);
  }
  if (!response.ok) {
    const text = await response.text();
    let json: { code?: number; message?: string } = {};
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: the status says it
    }
    throw new ParleyError(Number(json.code ?? response.status), String(json.message ?? (text || response.statusText)));
  }
  return response;
}

export async function uploadBackup(credentials: DeviceCredentials, blob: Uint8Array): Promise<number> {
  const answer = await (await call(credentials, 'PUT', blob)).json();
  return Number(answer.bytes ?? blob.length);
}

export async function downloadBackup(credentials: DeviceCredentials): Promise<Uint8Array> {
  return new Uint8Array(await (await call(credentials, 'GET')).arrayBuffer());
}
