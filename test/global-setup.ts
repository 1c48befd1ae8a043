// Builds the companion bundle `npm start` runs, so the tests that spawn the CLI run exactly it.
import { buildCompanion } from '../companion/build';

export default async function setup(): Promise<void> {
  await buildCompanion();
}
