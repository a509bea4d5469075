import { StudioError } from '../errors';
import { Edit } from './model';

/** Every problem with a stored or received edit, each with where it is: for logs and reports. */
export function editProblems(value: unknown): string[] {
  const result = Edit.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}

/**
 * Checks every rule of the edit format (docs/EDIT.md) and returns the edit typed, or throws
 * invalid_input naming the first problem, with all of them in details.
 */
export function validateEdit(value: unknown): Edit {
  const result = Edit.safeParse(value);
  if (result.success) return result.data;
  const problems = editProblems(value);
  throw new StudioError('invalid_input', `The edit is not valid: ${problems[0]}`, { problems });
}
