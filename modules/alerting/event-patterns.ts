/**
 * The EventBridge patterns of the alert route, and a matcher for them, in a file without provider
 * bindings: the constructs write the patterns, and the evidence collector evaluates the patterns it
 * reads back from AWS against the events they must match (a rule whose pattern was edited to match
 * nothing is a broken route, though ENABLED).
 *
 * Matching follows the EventBridge User Guide, "Event patterns" and "Content filtering in Amazon
 * EventBridge event patterns" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html):
 * a pattern's field holds an array of alternatives; a value matches exactly, `{prefix}`, `{suffix}`, `{wildcard}`,
 * `{numeric: [op, n, ...]}`, `{"anything-but": v | [v...] | {prefix}}` or `{exists}`; every field of the
 * pattern must match. An operator it does not know throws (the evidence is then ERROR, never PASS).
 */

/** An EventBridge pattern for alarms whose names start with `alarmNamePrefix`, entering ALARM. */
export function alarmStateChangePattern(alarmNamePrefix?: string): object {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: {
      ...(alarmNamePrefix ? { alarmName: [{ prefix: alarmNamePrefix }] } : {}),
      state: { value: ['ALARM'] },
    },
  };
}

/**
 * An EventBridge pattern for every state change (to ALARM, OK or INSUFFICIENT_DATA) of alarms whose
 * names start with `alarmNamePrefix`, or of the alarms named in `alarmNames`: what the accounts forward
 * to the central bus, so that the alarm history record (`alarm-history.ts`) sees each return to OK,
 * not only each entry into ALARM. The "CloudWatch Alarm State Change" event carries `detail.state` and
 * `detail.previousState`, each with `value`, `reason` and `timestamp` (CloudWatch User Guide, "Alarm
 * events and EventBridge": https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 */
export function alarmStateChangesPattern(alarms: { readonly alarmNamePrefix: string } | { readonly alarmNames: readonly string[] }): object {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: 'alarmNamePrefix' in alarms ? [{ prefix: alarms.alarmNamePrefix }] : [...alarms.alarmNames] },
  };
}

export const GUARDDUTY_HIGH_SEVERITY_PATTERN = {
  source: ['aws.guardduty'],
  'detail-type': ['GuardDuty Finding'],
  detail: { severity: [{ numeric: ['>=', 7] }] },
};

export const SECURITY_HUB_HIGH_CRITICAL_PATTERN = {
  source: ['aws.securityhub'],
  'detail-type': ['Security Hub Findings - Imported'],
  detail: {
    findings: {
      Severity: { Label: ['HIGH', 'CRITICAL'] },
      RecordState: ['ACTIVE'],
      Workflow: { Status: ['NEW'] },
      ProductName: [{ 'anything-but': 'GuardDuty' }],
    },
  },
};

/**
 * What a subscriber reads: an alarm state change event's `account`, `region`, `time` and
 * `detail.alarmName` (CloudWatch User Guide, "Alarm events and EventBridge"), all without quotes
 * (alarm names are the baseline's own), so the template stays a valid JSON string.
 */
export const ALARM_MESSAGE = {
  inputPaths: { account: '$.account', region: '$.region', alarm: '$.detail.alarmName', time: '$.time' },
  inputTemplate:
    '"SOC 2 baseline alarm <alarm> is in ALARM in account <account>, Region <region>, at <time>. ' +
    'Console: https://<region>.console.aws.amazon.com/cloudwatch/home?region=<region>#alarmsV2:alarm/<alarm> (sign in to account <account>)."',
};

/** SQS's longest message retention, 14 days, which the route's queues keep (SQS Developer Guide, "Amazon SQS quotas"). */
export const MAX_SQS_RETENTION_SECONDS = 1_209_600;

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function matchesValue(alternative: unknown, value: unknown): boolean {
  if (alternative === null || typeof alternative !== 'object') return alternative === value;
  const [op, arg] = Object.entries(alternative)[0] ?? [];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(arg));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(String(arg));
    case 'exists':
      return arg === (value !== undefined);
    case 'wildcard':
      // `*` matches any run of characters ("Wildcard matching", same page).
      return typeof value === 'string' && new RegExp(`^${String(arg).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 's').test(value);
    case 'numeric': {
      if (typeof value !== 'number') return false;
      const terms = arg as unknown[];
      for (let i = 0; i < terms.length; i += 2) {
        const test = NUMERIC[String(terms[i])];
        if (!test) throw new Error(`unsupported numeric operator ${String(terms[i])}`);
        if (!test(value, Number(terms[i + 1]))) return false;
      }
      return true;
    }
    case 'anything-but': {
      if (value === undefined) return false;
      if (Array.isArray(arg)) return !arg.includes(value);
      if (arg !== null && typeof arg === 'object') return !matchesValue(arg, value);
      return arg !== value;
    }
    default:
      throw new Error(`unsupported EventBridge pattern operator ${JSON.stringify(alternative)}`);
  }
}

/** Whether `event` matches `pattern` (for an array field of the event, any element may match). */
export function eventMatches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    const values = Array.isArray(event) ? event : [event];
    return pattern.some((alternative) => {
      if (alternative !== null && typeof alternative === 'object' && 'exists' in alternative) return matchesValue(alternative, event);
      return values.some((v) => matchesValue(alternative, v));
    });
  }
  if (pattern !== null && typeof pattern === 'object') {
    const entries = Object.entries(pattern);
    if (entries.length === 0) throw new Error('an empty object in an EventBridge pattern');
    return entries.every(([k, v]) => {
      const child = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[k] : undefined;
      if (Array.isArray(child) && !Array.isArray(v) && v !== null && typeof v === 'object') return child.some((c) => eventMatches(v, c));
      return eventMatches(v, child);
    });
  }
  throw new Error(`unsupported EventBridge pattern ${JSON.stringify(pattern)}`);
}
