import type { PreflightProbes } from '../core/preflight.js';

/** Looks at the machine: docker, kind, kubectl, kubeconfig contexts, the target server. */
export type PreflightProbe = (context: string | undefined) => Promise<PreflightProbes>;
