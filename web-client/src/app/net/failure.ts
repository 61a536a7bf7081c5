// A failure the server answered (or the app refused before asking), with its documented code
// (400, 401, 403, 404, 409, 410, 413, 429, 503) and a sentence a person can read.
export interface Mismatch {
  userId?: string;
  missingDevices?: number[];
  extraDevices?: number[];
}

export class ParleyError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly mismatches: Mismatch[] = [],
  ) {
    super(message);
    this.name = 'ParleyError';
  }

  /** What the app shows: what went wrong in words, then the server's own detail. */
  get readable(): string {
    return `${MEANINGS[this.code] ?? 'Something went wrong'} (${this.code}): ${this.message}`;
  }
}

const MEANINGS: Record<number, string> = {
  400: 'That was not accepted',
  401: 'Not signed in or wrong code',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Out of date or limit reached',
  410: 'No longer valid',
  413: 'Too large',
  429: 'Too many attempts, wait a little',
  503: 'The server is unavailable, retrying',
};

export function readable(error: unknown): string {
  if (error instanceof ParleyError) return error.readable;
  return error instanceof Error ? error.message : String(error);
}
