/**
 * The sensitive buckets (`sensitiveData.buckets`) are part of the organization trail's S3 data events:
 * the one list the data events, Malware Protection for S3 and the server access logs use. Narrow inputs,
 * so that this file depends on nothing of `schema.ts`.
 */

export interface DataEventsInput {
  readonly trail: { readonly dataEvents: { readonly s3: readonly string[] } };
  readonly sensitiveData: { readonly buckets: readonly { readonly name: string }[] };
}

/**
 * The S3 data-event ARNs of the organization trail: `trail.dataEvents.s3`, then each sensitive bucket
 * not already listed as a whole bucket (`arn:aws:s3:::<name>`), in config order.
 */
export function s3DataEventArns(config: DataEventsInput): string[] {
  const arns = [...config.trail.dataEvents.s3];
  for (const bucket of config.sensitiveData.buckets) {
    const arn = `arn:aws:s3:::${bucket.name}`;
    if (!arns.includes(arn)) arns.push(arn);
  }
  return arns;
}

/** `trail.dataEvents` with its S3 list completed by the sensitive buckets (`s3DataEventArns`). */
export function trailDataEvents<T extends DataEventsInput['trail']['dataEvents']>(config: { readonly trail: { readonly dataEvents: T }; readonly sensitiveData: DataEventsInput['sensitiveData'] }): T & { s3: string[] } {
  return { ...config.trail.dataEvents, s3: s3DataEventArns(config) };
}
