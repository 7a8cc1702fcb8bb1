/**
 * `BASELINE_STACKS=member-111111111111,management` or globs (`member-*`): which stacks to construct
 * and synthesize, so that working on one account does not build the whole org.
 */

export class StackSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackSelectionError';
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The stack names `spec` selects from `all`, in the order of `all`. An empty or missing spec selects
 * every stack. A pattern that selects nothing is an error naming it: a typo must not pass as "nothing
 * to do" in a pipeline.
 */
export function selectStacks(all: readonly string[], spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === '') return [...all];
  const patterns = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const matches = all.filter((name) => re.test(name));
    if (matches.length === 0) {
      throw new StackSelectionError(
        `BASELINE_STACKS: "${pattern}" matches no stack (stacks: ${all.slice(0, 5).join(', ')}${all.length > 5 ? `, … ${all.length} in all` : ''})`,
      );
    }
    matches.forEach((m) => selected.add(m));
  }
  return all.filter((name) => selected.has(name));
}
