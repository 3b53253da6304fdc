export * from './oidc-error';
export * from './providers';
export * from './validate-id-token';
export * from './oauth-client';
export * from './connection-client';
export * from './claim-mapping';
