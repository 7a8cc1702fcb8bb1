/**
 * Account-level S3 Block Public Access, in every account of the selection: S3 Control's
 * GetPublicAccessBlock for the account (a global setting, read through the home Region's endpoint),
 * all four settings true as modules/s3-public-access sets them.
 */
import { GetPublicAccessBlockCommand, S3ControlClient, type PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { isNotFound } from '../aws';
import { Task, type CollectContext } from '../context';
import { DOC } from '../sources';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export function accountPublicAccessTasks(ctx: CollectContext): Task[] {
  const home = ctx.config.regions.home;
  return ctx.settings.accounts.map(
    (accountId) =>
      new Task(ctx, { label: 'account S3 Block Public Access', accountId, region: home, controls: ['s3.account-public-access-block'] }, async (task) => {
        const s3control = task.client(S3ControlClient);
        let configuration: PublicAccessBlockConfiguration | undefined;
        try {
          const out = await task.call('s3control:GetPublicAccessBlock', { AccountId: accountId }, () => s3control.send(new GetPublicAccessBlockCommand({ AccountId: accountId })));
          configuration = out.PublicAccessBlockConfiguration;
        } catch (e) {
          if (!isNotFound(e, 'NoSuchPublicAccessBlockConfiguration')) throw e;
        }
        const off = SETTINGS.filter((s) => configuration?.[s] !== true);
        task.item({
          controlId: 's3.account-public-access-block',
          title: 'Account-level S3 Block Public Access',
          status: off.length ? 'FAIL' : 'PASS',
          reason: !configuration ? 'no account-level public access block: every setting is off' : off.length ? `not true: ${off.join(', ')}` : 'all four account-level settings are true',
          region: 'global',
          resource: 'account-public-access-block',
          sources: [DOC.s3control.getPublicAccessBlock],
        });
      }),
  );
}
