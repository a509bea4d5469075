import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { editLength, validateEdit } from '../../../src/shared/edit';

it('the example in docs/EDIT.md is a valid edit of the length it states', () => {
  const text = readFileSync(new URL('../../../docs/EDIT.md', import.meta.url), 'utf8');
  const json = text.split('```json')[1]!.split('```')[0]!;
  expect(editLength(validateEdit(JSON.parse(json)))).toBe(1_339_200);
});
