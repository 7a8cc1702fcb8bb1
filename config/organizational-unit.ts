/**
 * A member account's organizational unit, as the config names it: the organization root (`Root`, or
 * the root id `r-...`), an OU id (`ou-...`), or an OU path of OU names from the root (`Workloads/Prod`).
 *
 * Formats, from the AWS Organizations API Reference:
 * - OU id, `OrganizationalUnit.Id` (https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html):
 *   pattern `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`.
 * - Root id, `Root.Id` (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html):
 *   pattern `^r-[0-9a-z]{4,32}$`.
 * - OU name, `OrganizationalUnit.Name` (the page above): 1 to 128 characters, "any of the characters in
 *   the ASCII character range".
 *
 * The baseline narrows the names of a path to letters, digits, spaces and `_ . : = + - @` (ASCII), with
 * no space at either end: a name is written into a Terraform expression (the plan-time check that the
 * OU exists, modules/prerequisites) and into listings, where quotes, `$`, `%`, `/` or a control
 * character would break it. An OU whose name has other characters is named by its id.
 */
import { z } from 'zod';

export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;
/** One OU name of a path, as the baseline accepts it (see the file comment). */
export const OU_NAME_PATTERN = /^[A-Za-z0-9_.:=+@-](?:[A-Za-z0-9 _.:=+@-]{0,126}[A-Za-z0-9_.:=+@-])?$/;

export type OrganizationalUnitRef =
  | { readonly kind: 'root'; readonly rootId?: string }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'path'; readonly names: readonly string[] };

/** Reads a valid `ou` value (one `ouSchema` accepted). */
export function organizationalUnitRef(ou: string): OrganizationalUnitRef {
  if (ou === 'Root') return { kind: 'root' };
  if (ROOT_ID_PATTERN.test(ou)) return { kind: 'root', rootId: ou };
  if (OU_ID_PATTERN.test(ou)) return { kind: 'id', id: ou };
  // A path is read from the root: a leading `Root/` says so, and is dropped.
  const names = ou.split('/');
  return { kind: 'path', names: names[0] === 'Root' && names.length > 1 ? names.slice(1) : names };
}

/** Why `ou` is not a valid value, or undefined when it is. */
export function organizationalUnitProblem(ou: string): string | undefined {
  if (ou === 'Root' || ROOT_ID_PATTERN.test(ou) || OU_ID_PATTERN.test(ou)) return undefined;
  if (/^ou-/.test(ou)) {
    return 'is not an OU id: AWS Organizations OU ids are "ou-" then 4-32 lowercase letters or digits, "-", then 8-32 more (e.g. "ou-ab12-cd34ef56"); give the id from "aws organizations list-organizational-units-for-parent", or the OU path such as "Workloads/Prod"';
  }
  if (/^r-/.test(ou)) return 'is not a root id: AWS Organizations root ids are "r-" then 4-32 lowercase letters or digits (e.g. "r-ab12"), or write Root';
  const names = ou.split('/');
  const bad = names.find((name) => !OU_NAME_PATTERN.test(name));
  if (bad !== undefined) {
    const which = bad === '' ? 'an empty OU name (a leading, trailing or doubled "/")' : `the OU name ${JSON.stringify(bad)}`;
    return `must be Root, a root id (r-...), an OU id (ou-...) or an OU path such as "Workloads/Prod"; ${which} is not one the baseline accepts: 1-128 letters, digits, spaces and _ . : = + - @, no space at either end (name an OU with other characters by its id)`;
  }
  return undefined;
}

export const ouSchema = z
  .string({ error: 'must be Root, a root id (r-...), an OU id (ou-...) or an OU path such as "Workloads/Prod"' })
  .superRefine((ou, ctx) => {
    const problem = organizationalUnitProblem(ou);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
