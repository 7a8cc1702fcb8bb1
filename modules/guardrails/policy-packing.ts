/**
 * Packing of Organizations policy statements into documents within the size and attachment quotas, for
 * any authorization policy type: the SCPs (`packScps`, service-control-policies.ts) and the resource
 * control policies (resource-control-policies.ts) are packed by the same rule.
 *
 * Compact JSON: "All characters in your RCP count against its maximum size" (Organizations User Guide,
 * "RCP syntax": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html),
 * as for SCPs; Terraform sends the document as given, so no white space is sent outside strings.
 */
import { policyDocument, type PolicyStatement } from '../iam/policy-document';

export interface PackingLimits {
  /** What is packed, for error messages (`RCP`, `SCP`). */
  readonly kind: string;
  /** Maximum characters of one document. */
  readonly maxCharacters: number;
  /** Policies of this type one root, OU or account may hold, AWS's default one included. */
  readonly perTarget: number;
  /** The AWS-managed policy that keeps one of `perTarget` (`FullAWSAccess`, `RCPFullAWSAccess`). */
  readonly defaultPolicyName: string;
}

/**
 * Packs statements, in order, into as few documents as fit `maxCharacters` each. Fails when one
 * statement alone is too large, or when more documents are needed than a target can hold beside
 * AWS's default policy (`perTarget - 1`).
 */
export function packStatements(statements: readonly PolicyStatement[], limits: PackingLimits): string[] {
  const budget = limits.perTarget - 1;
  const groups: PolicyStatement[][] = [];
  for (const s of statements) {
    const last = groups[groups.length - 1];
    if (last && policyDocument([...last, s]).length <= limits.maxCharacters) {
      last.push(s);
      continue;
    }
    const alone = policyDocument([s]).length;
    if (alone > limits.maxCharacters) {
      throw new Error(`guardrails: ${limits.kind} statement ${s.Sid} alone is ${alone} characters, over the ${limits.maxCharacters} limit`);
    }
    groups.push([s]);
  }
  if (groups.length > budget) {
    throw new Error(
      `guardrails: ${groups.length} ${limits.kind}s needed, but a target holds ${limits.perTarget} including ${limits.defaultPolicyName} (AWS Organizations quotas): at most ${budget}`,
    );
  }
  return groups.map((g) => policyDocument(g));
}
