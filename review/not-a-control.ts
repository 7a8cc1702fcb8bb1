/**
 * The resource types the baseline synthesizes that no review rule reads, each with why changing or
 * deleting one does not weaken a SOC 2 control by itself. __tests__/review/coverage.test.ts synthesizes
 * the example org and fails on a resource type that is neither read by a rule (`ReviewRule.resourceTypes`)
 * nor listed here, so a new resource type cannot slip past the review unjudged.
 */
export const NOT_A_CONTROL: Readonly<Record<string, string>> = {
  aws_iam_service_linked_role:
    "a service's own role (GuardDuty, Macie, Config, Access Analyzer): IAM refuses to delete one while its service still uses it (DeleteServiceLinkedRole fails for a role in use), and the service's own resources are judged",
  aws_iam_role: 'a delivery role (CloudTrail to CloudWatch Logs, Config, flow logs, EventBridge targets): a broken delivery shows in the delivery resources and the route watchdogs, not in the role',
  aws_iam_role_policy: "a delivery role's inline permissions: same as aws_iam_role",
  aws_s3_bucket_ownership_controls: "BucketOwnerEnforced (ACLs off) on a log bucket: no control declares it; public access is judged by the public access block and the bucket policy's Deny statements",
};
