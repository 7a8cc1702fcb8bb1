/**
 * What every stack of the baseline has in common: its state backend and its AWS provider version
 * constraint. Local state by default, so synth and plan need no AWS; S3 with S3-native locking and one
 * key per stack when the config asks.
 */
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { stateKey } from '../config/naming';
import { BINDINGS_PROVIDER_VERSION } from '../config/provider-version';
import type { BaselineConfig } from '../config/schema';

/** The folder of the output folder that holds every stack's local state file. */
export const LOCAL_STATE_DIR = 'state';

/**
 * The local state file of a stack, relative to the folder Terraform runs in (`<outdir>/stacks/<stack>`,
 * as `terraform -chdir` makes it): `<outdir>/state/terraform.<stack>.tfstate`. Inside the output folder,
 * which belongs to one organization (synth/outdir-owner.ts) and which no synth deletes, so two output
 * folders (two organizations) never share a state file, wherever `CDKTF_OUTDIR` points. Relative, so
 * that no machine's absolute path is written into a stack, and outside the stack's folder, so that
 * deleting the folder (`baseline remove --destroyed`) never deletes the state.
 */
export function localStatePath(stackName: string): string {
  return `../../${LOCAL_STATE_DIR}/terraform.${stackName}.tfstate`;
}

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
    } else {
      // cdktf's default local backend holds an absolute path (its process's working directory).
      new LocalBackend(this, { path: localStatePath(stackName) });
    }
    // The provider bindings declare exactly the version they were generated for; the config may widen it.
    if (config.deployment.awsProviderVersion !== BINDINGS_PROVIDER_VERSION) {
      this.addOverride('terraform.required_providers.aws.version', config.deployment.awsProviderVersion);
    }
  }
}
