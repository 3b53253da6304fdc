/** A SCIM protocol error (RFC 7644 §3.12): the HTTP status, the `scimType` when one applies, and a detail for people. */
export class ScimError extends Error {
  constructor(readonly status: number, readonly detail: string, readonly scimType?: 'invalidFilter' | 'uniqueness' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'mutability' | 'tooMany') {
    super(detail);
    this.name = 'ScimError';
  }

  toJSON() {
    return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.detail };
  }
}
