// The --categories file: JSON, as PUT /lab/categories takes. A bad file stops the start with
// the place that is wrong: a line and column for broken JSON, the field path for a bad value.
import { readFile } from 'node:fs/promises';
import { parseCategories, type Category } from './definitions';
import { jsonErrorOffset } from './json-place';

/** "line L, column C" of a character offset in the text. */
function placeOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** JSON.parse's message, with where the text goes wrong as a line and column. */
function syntaxProblem(text: string, e: Error): string {
  const at = jsonErrorOffset(text);
  const message = e.message.replace(/ in JSON at position \d+.*/, '').replace(/, "[\s\S]*" is not valid JSON$/, '');
  return at === null ? message : `${message} at ${placeOf(text, at)}`;
}

export async function readCategoriesFile(file: string): Promise<Category[]> {
  const where = `--categories ${file}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${where}: cannot be read (${(e as Error).message})`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not JSON: ${syntaxProblem(text, e as Error)}`);
  }
  if (!Array.isArray(input)) throw new Error(`${where}: must be a JSON array of categories [{"name", "tags"}]`);
  const check = parseCategories(input);
  if (!check.ok) throw new Error(`${where}: ${check.problem.field}: ${check.problem.reason}`);
  return check.categories;
}
