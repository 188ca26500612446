/**
 * Where the cluster suites find the project, the test cluster and its kubectl: one place for
 * the paths and the overrides every suite honours (CRASHLAB_CLUSTER_CACHE, KUBECONFIG,
 * CRASHLAB_SUITE_CONTEXT, KUBECTL).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const CACHE = process.env.CRASHLAB_CLUSTER_CACHE ?? join(homedir(), '.cache', 'crashlab-cluster');
export const KUBECONFIG = process.env.KUBECONFIG ?? join(CACHE, 'run', 'kubeconfig');
export const CONTEXT = process.env.CRASHLAB_SUITE_CONTEXT ?? 'crashlab-local';
export const KUBECTL = process.env.KUBECTL ?? (existsSync(join(CACHE, 'bin', 'kubectl')) ? join(CACHE, 'bin', 'kubectl') : 'kubectl');
