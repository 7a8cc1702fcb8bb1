/**
 * `management` does not depend on the member list: the same Terraform JSON, so the same resource
 * count, for the 5-account example org and for that org grown to 1,000 accounts. Adding or vending an
 * account therefore never changes it (Macie membership, the only per-account resource it once held,
 * lives in each member stack).
 */
import { configWith, exampleConfig, synthStack } from '../helpers';

const grown = configWith((raw) => {
  for (let i = 0; raw.members.length < 1000; i++) {
    const id = String(600000000000 + i);
    raw.members.push({ id, name: `workload-${i}`, email: `aws-${id}@example.com`, ou: 'Workloads/Prod' });
  }
});

test('management is byte-for-byte the same for 5 and 1,000 member accounts', () => {
  expect(grown.members).toHaveLength(1000);
  const small = synthStack(exampleConfig(), 'management');
  const large = synthStack(grown, 'management');
  const count = (json: typeof small) => Object.values(json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
  expect(count(large)).toBe(count(small));
  expect(JSON.stringify(large)).toBe(JSON.stringify(small));
});
