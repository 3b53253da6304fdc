import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../errors';
import { findPrototypeKey } from '../lib/own-keys';

/**
 * Refuses a parsed JSON body with a key that leads to a prototype (`__proto__`, `constructor`, `prototype`, at any
 * depth, in any case): defence in depth at the edge, so no handler's merge or lookup can be walked into Object.prototype.
 */
export function refusePrototypeKeys(req: Request, _res: Response, next: NextFunction): void {
  const where = findPrototypeKey(req.body);
  if (where) next(ValidationError.field(where, 'forbidden_key', '__proto__, constructor and prototype are not accepted as keys.'));
  else next();
}
