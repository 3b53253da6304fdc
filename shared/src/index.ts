export * from './ids';
export * from './enums';
export * from './error-codes';
export * from './validation';
export * from './routes';
export * from './redirect-uris';
export * from './cards';
export * from './webhooks';
