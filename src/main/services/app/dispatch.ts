import { isRequestName, type RequestName, requests } from '../../../shared/contract';
import { type Result, StudioError, toErrorValue } from '../../../shared/errors';
import type { Handlers } from './handlers';

export type Dispatch = (name: string, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * The one gate every request passes: unknown names and invalid input are refused before any
 * handler runs; outputs are checked against the contract; errors come back as values.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (name, rawInput) => {
    try {
      if (!isRequestName(name))
        throw new StudioError('invalid_input', `Unknown request “${name}”.`);
      const spec = requests[name];
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
        throw new StudioError('invalid_input', `${issue?.message ?? 'Invalid input'}${where}`, {
          request: name,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      const handler = handlers[name] as (input: unknown) => unknown;
      const output = await handler(parsed.data);
      return { ok: true, value: spec.output.parse(output) };
    } catch (error) {
      return { ok: false, error: toErrorValue(error) };
    }
  };
}

/** Calls a request and returns its value or throws its error (CLI and tests). */
export async function call<K extends RequestName>(
  dispatch: Dispatch,
  name: K,
  input: unknown,
): Promise<import('../../../shared/contract').RequestOutput<K>> {
  const result = await dispatch(name, input);
  if (!result.ok)
    throw new StudioError(result.error.code, result.error.message, result.error.details);
  return result.value as import('../../../shared/contract').RequestOutput<K>;
}
