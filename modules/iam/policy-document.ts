/**
 * IAM policy documents as plain typed data, rendered to JSON at synth. Tests read the same JSON the
 * plan shows, and no `aws_iam_policy_document` data source has to be resolved at plan time.
 */

export type Principal =
  | '*'
  | { readonly Service: string | readonly string[] }
  | { readonly AWS: string | readonly string[] };

/** Condition operator → condition key → value(s), exactly as IAM reads it. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | boolean | number | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Omitted only in trust policies, which take none. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Conditions;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  const sids = new Set<string>();
  for (const s of statements) {
    if (sids.has(s.Sid)) throw new Error(`policy statement Sid "${s.Sid}" is used twice`);
    sids.add(s.Sid);
    // The project rule: a wildcard principal is only ever granted under conditions.
    const wildcard = s.Principal === '*' || (typeof s.Principal === 'object' && 'AWS' in s.Principal && s.Principal.AWS === '*');
    if (wildcard && s.Effect === 'Allow' && !s.Condition) {
      throw new Error(`policy statement "${s.Sid}" allows Principal "*" without a condition`);
    }
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Trust policy for a role assumed by one AWS service, optionally pinned to the calling resource. */
export function serviceTrustPolicy(service: string, conditions?: Conditions): string {
  return policyDocument([
    {
      Sid: 'AllowServiceToAssume',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(conditions ? { Condition: conditions } : {}),
    },
  ]);
}
