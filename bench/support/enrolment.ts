export interface Enrolment {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly program: unknown;
  readonly members: number;
  /** How many enrolments are in flight at once. */
  readonly clients: number;
  readonly memberId: (n: number) => string;
}

/** The program, then every member, through the HTTP API as a client would: the state the load sections start from. */
export async function enrolMembers({ url, headers, program, members, clients, memberId }: Enrolment): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, { method, headers, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  };
  await call('PUT', '/v1/program', program);
  for (let from = 0; from < members; from += clients) {
    const batch = Array.from({ length: Math.min(clients, members - from) }, (_, i) => from + i);
    await Promise.all(batch.map((n) => call('POST', '/v1/members', { memberId: memberId(n), type: 'individual' })));
  }
}
