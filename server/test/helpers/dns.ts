/**
 * A DNS resolver answering from fixed records, in the shape of node's `dns.promises.resolveTxt`: a name without
 * records fails with ENOTFOUND (NXDOMAIN), and a name set to an error code fails with that code (ESERVFAIL, ETIMEOUT…),
 * as c-ares reports them. Never the internet.
 */
export class FakeDns {
  private readonly answers = new Map<string, string[][] | { code: string }>();
  readonly lookups: string[] = [];

  setTxt(name: string, ...values: string[]): void {
    // Long values arrive split in 255-byte chunks; Portico must join them.
    this.answers.set(name.toLowerCase(), values.map((v) => v.match(/.{1,255}/g) ?? ['']));
  }

  fail(name: string, code: string): void {
    this.answers.set(name.toLowerCase(), { code });
  }

  clear(name: string): void {
    this.answers.delete(name.toLowerCase());
  }

  resolveTxt = async (name: string): Promise<string[][]> => {
    this.lookups.push(name);
    const answer = this.answers.get(name.toLowerCase()) ?? { code: 'ENOTFOUND' };
    if ('code' in answer) throw Object.assign(new Error(`queryTxt ${answer.code} ${name}`), { code: answer.code, hostname: name });
    return answer;
  };
}
