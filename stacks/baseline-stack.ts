/**
 * What every stack of the baseline has in common: its state backend. Local by default, so synth
 * and plan need no AWS; S3 with S3-native locking and one key per stack when the config asks.
 */
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { stateKey } from '../config/naming';
import type { BaselineConfig } from '../config/schema';

export abstract class BaselineStack extends TerraformStack {
  constructor(
    scope: Construct,
    readonly stackName: string,
    readonly config: BaselineConfig,
  ) {
    super(scope, stackName);
    const state = config.state;
    if (state.backend === 's3') {
      const backend = new S3Backend(this, {
        bucket: state.bucket,
        key: stateKey(config, stackName)!,
        region: state.region,
        encrypt: true,
        ...(state.kmsKeyArn ? { kmsKeyId: state.kmsKeyArn } : {}),
        ...(state.roleArn ? { assumeRole: { roleArn: state.roleArn } } : {}),
      });
      // cdktf 0.21's S3Backend predates `use_lockfile` (S3-native locking, Terraform >= 1.10).
      backend.addOverride('use_lockfile', true);
    }
    // With no backend declared, cdktf writes local state to terraform.<stack>.tfstate.
  }
}
