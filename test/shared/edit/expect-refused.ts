import { expect } from 'vitest';
import { StudioError } from '../../../src/shared/errors';

/** Runs `fn`, expects invalid_input, and returns the message for matching. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('invalid_input');
    return (error as StudioError).message;
  }
  throw new Error('expected the operation to be refused');
}
