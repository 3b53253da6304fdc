import { randomBytes } from 'node:crypto';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; details?: { field: string; code: string; message: string }[] } }[];
}

/** A browser-like GraphQL client: keeps the session cookie, sends JSON (as Apollo Client does). */
export class GqlClient {
  cookie: string | undefined;
  /** An API key sent as `Authorization: Bearer …`, as integrators' code calls the API. */
  bearer: string | undefined;
  lastSetCookie: string[] = [];

  /** The client's address as the test app sees it (X-Forwarded-For, trusted in tests); by default a fresh documentation-range IPv6. */
  readonly ip: string;

  constructor(readonly baseUrl: string, opts: { cookie?: string; ip?: string; bearer?: string } = {}) {
    this.cookie = opts.cookie;
    this.bearer = opts.bearer;
    this.ip = opts.ip ?? `2001:db8::${randomBytes(6).toString('hex').match(/.{4}/g)!.join(':')}`;
  }

  async request<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    headers['x-forwarded-for'] = this.ip;
    const res = await fetch(`${this.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const setCookie of this.lastSetCookie) {
      const [pair] = setCookie.split(';');
      const [name, value] = pair!.split('=');
      if (name === 'portico_session') this.cookie = value ? `portico_session=${value}` : undefined;
    }
    return (await res.json()) as GraphQLResult<T>;
  }

  /** The data, failing the test with the errors when there are any. */
  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** The first error's code (and details), failing the test when the operation succeeded. */
  async error(query: string, variables: Record<string, unknown> = {}) {
    const result = await this.request(query, variables);
    const error = result.errors?.[0];
    if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
    return { code: error.extensions?.code, reason: error.extensions?.reason, details: error.extensions?.details ?? [], message: error.message, data: result.data };
  }
}
