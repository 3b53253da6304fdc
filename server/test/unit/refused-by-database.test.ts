import { refusedByDatabase } from '../../src/db/unreachable';

/** pg's error for an ErrorResponse carries the server's severity and SQLSTATE. */
const answered = (severity: string, code: string, message = 'refused') => Object.assign(new Error(message), { severity, code });

describe('refusedByDatabase (a statement refused: nothing written, the connection usable)', () => {
  it('is true for an error PostgreSQL answered on a reachable server', () => {
    expect(refusedByDatabase(answered('ERROR', '23505', 'duplicate key value violates unique constraint'))).toBe(true);
    expect(refusedByDatabase(answered('ERROR', '22P02'))).toBe(true);
  });

  it('is false when the server is going away, though it answered (the connection ends with it)', () => {
    expect(refusedByDatabase(answered('FATAL', '57P01', 'terminating connection due to administrator command'))).toBe(false);
    expect(refusedByDatabase(answered('FATAL', '08006'))).toBe(false);
  });

  it('is false for errors the server did not answer (a lost socket, anything else)', () => {
    expect(refusedByDatabase(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(refusedByDatabase(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(false);
    expect(refusedByDatabase('not an error')).toBe(false);
  });
});
