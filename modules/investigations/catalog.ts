/**
 * Every named investigation, in the order the docs list them. Each is declared in its own file under
 * `catalog/` (one question per file, cdk-nag style).
 */
import type { Investigation } from './investigation';
import { ROOT_ACTIVITY } from './catalog/root-activity';

export const INVESTIGATIONS: readonly Investigation[] = [ROOT_ACTIVITY];

export function investigationNamed(name: string): Investigation | undefined {
  return INVESTIGATIONS.find((i) => i.name === name);
}
