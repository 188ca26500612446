/**
 * Preflight decisions: from what the probes found (tools, versions, daemon, contexts) to a
 * list of checks, each with the exact command that fixes it on the learner's OS. Pure: the
 * probing lives in src/adapters/preflight.ts.
 */
import { DEFAULT_CLUSTER_NAME, DEFAULT_CONTEXT } from './context.js';
import type { Text } from './text.js';

export type CheckId = 'docker' | 'docker-daemon' | 'kind' | 'kubectl' | 'context' | 'cluster';

export interface PreflightCheck {
  id: CheckId;
  /** ok; failed; warning (worth knowing, not blocking); skipped (a prerequisite failed). */
  status: 'ok' | 'failed' | 'warning' | 'skipped';
  ok: boolean;
  /** The lab cannot work until a required check is ok. */
  required: boolean;
  title: Text;
  detail: Text;
  fix?: Text;
}

/** What the adapters found. A field is undefined when it was not probed. */
export interface PreflightProbes {
  platform: string;
  arch: string;
  /** The context asked for with --context; undefined means crashlab's own kind cluster. */
  requestedContext?: string;
  docker?: { found: boolean; serverVersion?: string; error?: string };
  kind?: { found: boolean; version?: string; clusters?: string[]; clustersError?: string; error?: string };
  /** `error`: found but unusable (it hangs, or cannot run); then nothing else is asked of it. */
  kubectl: { found: boolean; version?: string; error?: { kind: 'timeout'; seconds: number } | { kind: 'cannot-run'; detail: string } };
  kubeconfig?: { current?: string; contexts: string[] };
  /** The target context's API server (`kubectl version -o json`), probed only if it may exist. */
  server?: { reachable: boolean; version?: string; error?: string };
}

/** The kind release `make test-kind` proves (test/kind/lib.sh KIND_VERSION): the one install hints name. */
export const KIND_STABLE_VERSION = 'v0.33.0';

/** kind mode needs docker + kind; any other context needs only kubectl and a reachable server. */
export function usesKind(requestedContext: string | undefined): boolean {
  return requestedContext === undefined || requestedContext === DEFAULT_CONTEXT;
}

export function preflightPassed(checks: PreflightCheck[]): boolean {
  return checks.every((check) => !check.required || check.ok);
}

export function preflightChecks(p: PreflightProbes): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  if (usesKind(p.requestedContext)) {
    checks.push(dockerCheck(p), dockerDaemonCheck(p), kindCheck(p), kubectlCheck(p));
    const cluster = kindClusterCheck(p);
    checks.push(kindContextCheck(p, cluster.clusterExists), cluster.check);
  } else {
    const context = p.requestedContext as string;
    checks.push(kubectlCheck(p), namedContextCheck(p, context), serverCheck(p, context));
  }
  return checks;
}

function check(id: CheckId, status: PreflightCheck['status'], required: boolean, detail: Text, fix?: Text): PreflightCheck {
  return { id, status, ok: status === 'ok', required, title: TITLES[id], detail, ...(fix ? { fix } : {}) };
}

const TITLES: Record<CheckId, Text> = {
  docker: { en: 'Docker', ko: 'Docker' },
  'docker-daemon': { en: 'Docker daemon', ko: 'Docker 데몬' },
  kind: { en: 'kind', ko: 'kind' },
  kubectl: { en: 'kubectl', ko: 'kubectl' },
  context: { en: 'kubeconfig context', ko: 'kubeconfig 컨텍스트' },
  cluster: { en: 'Cluster', ko: '클러스터' },
};

/** The same text in both languages (tool output, versions). */
function same(text: string): Text {
  return { en: text, ko: text };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

function dockerCheck(p: PreflightProbes): PreflightCheck {
  if (p.docker?.found) return check('docker', 'ok', true, { en: 'Docker CLI found', ko: 'Docker CLI 있음' });
  return check('docker', 'failed', true, { en: 'docker not found on PATH', ko: 'PATH에서 docker를 찾을 수 없습니다' }, installDocker(p.platform));
}

function installDocker(platform: string): Text {
  switch (platform) {
    case 'darwin':
      return {
        en: 'Install Docker Desktop: `brew install --cask docker` (or `brew install colima docker && colima start`). https://docs.docker.com/desktop/setup/install/mac-install/',
        ko: 'Docker Desktop을 설치하세요: `brew install --cask docker` (또는 `brew install colima docker && colima start`). https://docs.docker.com/desktop/setup/install/mac-install/',
      };
    case 'win32':
      return {
        en: 'Install Docker Desktop: `choco install docker-desktop` (or `winget install -e --id Docker.DockerDesktop`). https://docs.docker.com/desktop/setup/install/windows-install/',
        ko: 'Docker Desktop을 설치하세요: `choco install docker-desktop` (또는 `winget install -e --id Docker.DockerDesktop`). https://docs.docker.com/desktop/setup/install/windows-install/',
      };
    default:
      return {
        en: 'Install Docker Engine: `sudo apt-get install -y docker.io` (Debian/Ubuntu; other distributions: https://docs.docker.com/engine/install/), then `sudo usermod -aG docker $USER` and log in again.',
        ko: 'Docker Engine을 설치하세요: `sudo apt-get install -y docker.io` (Debian/Ubuntu 기준, 다른 배포판은 https://docs.docker.com/engine/install/ 참고). 설치 후 `sudo usermod -aG docker $USER` 하고 다시 로그인하세요.',
      };
  }
}

function dockerDaemonCheck(p: PreflightProbes): PreflightCheck {
  if (!p.docker?.found) return check('docker-daemon', 'skipped', true, { en: 'not checked: needs the docker CLI', ko: '확인하지 않음: docker CLI가 필요합니다' });
  if (p.docker.serverVersion) return check('docker-daemon', 'ok', true, same(`Docker Engine ${p.docker.serverVersion}`));
  const error = firstLine(p.docker.error) || 'no answer from the Docker daemon';
  const detail: Text = { en: `Docker daemon not reachable: ${error}`, ko: `Docker 데몬에 연결할 수 없습니다: ${error}` };
  if (/permission denied/i.test(error)) {
    return check('docker-daemon', 'failed', true, detail, {
      en: 'Your user may not use the Docker socket: `sudo usermod -aG docker $USER`, then log out and in again (or run `newgrp docker`).',
      ko: '현재 사용자에게 Docker 소켓 권한이 없습니다: `sudo usermod -aG docker $USER` 실행 후 다시 로그인하세요 (또는 `newgrp docker`).',
    });
  }
  return check('docker-daemon', 'failed', true, detail, startDocker(p.platform));
}

function startDocker(platform: string): Text {
  switch (platform) {
    case 'darwin':
      return { en: 'Start Docker Desktop: `open -a Docker` (or `colima start`), wait until it is running, then try again.', ko: 'Docker Desktop을 실행하세요: `open -a Docker` (또는 `colima start`). 완전히 뜬 뒤 다시 시도하세요.' };
    case 'win32':
      return { en: 'Start Docker Desktop from the Start menu, wait until it is running, then try again.', ko: '시작 메뉴에서 Docker Desktop을 실행하고, 완전히 뜬 뒤 다시 시도하세요.' };
    default:
      return { en: 'Start the daemon: `sudo systemctl start docker` (and `sudo systemctl enable docker` to start it at boot).', ko: '데몬을 시작하세요: `sudo systemctl start docker` (컴퓨터를 켤 때 자동으로 시작: `sudo systemctl enable docker`).' };
  }
}

function kindCheck(p: PreflightProbes): PreflightCheck {
  if (p.kind?.error) {
    return check('kind', 'failed', true, same(p.kind.error), {
      en: 'Check that `kind version` answers in a terminal; reinstall kind if it does not.',
      ko: '터미널에서 `kind version`이 응답하는지 확인하고, 응답하지 않으면 kind를 다시 설치하세요.',
    });
  }
  if (p.kind?.found) return check('kind', 'ok', true, same(`kind ${p.kind.version ?? '(version unknown)'}`));
  return check('kind', 'failed', true, { en: 'kind not found on PATH', ko: 'PATH에서 kind를 찾을 수 없습니다' }, installKind(p.platform, p.arch));
}

function installKind(platform: string, arch: string): Text {
  const docs = 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation';
  switch (platform) {
    case 'darwin':
      return { en: `Install kind: \`brew install kind\`. ${docs}`, ko: `kind를 설치하세요: \`brew install kind\`. ${docs}` };
    case 'win32':
      return { en: `Install kind: \`choco install kind\` (or \`winget install Kubernetes.kind\`). ${docs}`, ko: `kind를 설치하세요: \`choco install kind\` (또는 \`winget install Kubernetes.kind\`). ${docs}` };
    default: {
      const goArch = arch === 'arm64' ? 'arm64' : 'amd64';
      const command = `curl -Lo ./kind https://kind.sigs.k8s.io/dl/${KIND_STABLE_VERSION}/kind-linux-${goArch} && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind`;
      return { en: `Install kind: \`${command}\` (or \`go install sigs.k8s.io/kind@${KIND_STABLE_VERSION}\`). ${docs}`, ko: `kind를 설치하세요: \`${command}\` (또는 \`go install sigs.k8s.io/kind@${KIND_STABLE_VERSION}\`). ${docs}` };
    }
  }
}

function kubectlCheck(p: PreflightProbes): PreflightCheck {
  const error = p.kubectl.error;
  if (p.kubectl.found && error?.kind === 'timeout') {
    return check(
      'kubectl',
      'failed',
      true,
      { en: `kubectl did not answer within ${error.seconds} s (\`kubectl version --client\` needs no cluster)`, ko: `kubectl이 ${error.seconds}초 안에 응답하지 않았습니다 (\`kubectl version --client\`는 클러스터가 필요 없습니다)` },
      { en: `Check \`which kubectl\` and that \`kubectl version --client\` answers in a terminal; reinstall it if not. ${KUBECTL_DOCS}`, ko: `\`which kubectl\`과 \`kubectl version --client\`가 터미널에서 응답하는지 확인하고, 아니면 다시 설치하세요. ${KUBECTL_DOCS}` },
    );
  }
  if (p.kubectl.found && error?.kind === 'cannot-run') {
    return check(
      'kubectl',
      'failed',
      true,
      { en: `kubectl cannot run: ${error.detail}`, ko: `kubectl을 실행할 수 없습니다: ${error.detail}` },
      { en: `The kubectl on your PATH (\`which kubectl\`) is broken: reinstall it. ${installKubectl(p.platform).en}`, ko: `PATH의 kubectl(\`which kubectl\`)이 망가졌습니다. 다시 설치하세요. ${installKubectl(p.platform).ko}` },
    );
  }
  if (p.kubectl.found) return check('kubectl', 'ok', true, same(`kubectl ${p.kubectl.version ?? '(version unknown)'}`));
  return check('kubectl', 'failed', true, { en: 'kubectl not found on PATH', ko: 'PATH에서 kubectl을 찾을 수 없습니다' }, installKubectl(p.platform));
}

const KUBECTL_DOCS = 'https://kubernetes.io/docs/tasks/tools/';

function installKubectl(platform: string): Text {
  const docs = KUBECTL_DOCS;
  switch (platform) {
    case 'darwin':
      return { en: `Install kubectl: \`brew install kubectl\`. ${docs}`, ko: `kubectl을 설치하세요: \`brew install kubectl\`. ${docs}` };
    case 'win32':
      return { en: `Install kubectl: \`choco install kubernetes-cli\` (or \`winget install -e --id Kubernetes.kubectl\`). ${docs}`, ko: `kubectl을 설치하세요: \`choco install kubernetes-cli\` (또는 \`winget install -e --id Kubernetes.kubectl\`). ${docs}` };
    default:
      return {
        en: `Install kubectl: \`sudo snap install kubectl --classic\`, or with apt after adding the pkgs.k8s.io repository: \`sudo apt-get install -y kubectl\`. ${docs}`,
        ko: `kubectl을 설치하세요: \`sudo snap install kubectl --classic\`, 또는 pkgs.k8s.io 저장소를 추가한 뒤 \`sudo apt-get install -y kubectl\`. ${docs}`,
      };
  }
}

function kindClusterCheck(p: PreflightProbes): { check: PreflightCheck; clusterExists: boolean } {
  const name = DEFAULT_CLUSTER_NAME;
  if (!p.kind?.found || !p.docker?.serverVersion) {
    return {
      clusterExists: false,
      check: check('cluster', 'skipped', false, { en: `kind cluster "${name}" not checked: needs kind and a running Docker daemon`, ko: `kind 클러스터 "${name}"은 확인하지 않음: kind와 실행 중인 Docker 데몬이 필요합니다` }),
    };
  }
  if (p.kind.clustersError !== undefined) {
    const error = firstLine(p.kind.clustersError);
    return {
      clusterExists: false,
      check: check('cluster', 'warning', false, { en: `kind could not list clusters: ${error}`, ko: `kind가 클러스터 목록을 가져오지 못했습니다: ${error}` }, { en: 'Run `kind get clusters` to see the full error.', ko: '`kind get clusters`로 전체 오류를 확인하세요.' }),
    };
  }
  if (!(p.kind.clusters ?? []).includes(name)) {
    return {
      clusterExists: false,
      check: check('cluster', 'warning', false, { en: `kind cluster "${name}" does not exist yet`, ko: `kind 클러스터 "${name}"이 아직 없습니다` }, { en: '`crashlab up` creates it (about a minute; the first time also downloads the node image).', ko: '`crashlab up`으로 만드세요 (1분 정도, 처음에는 노드 이미지 다운로드 시간이 더 걸립니다).' }),
    };
  }
  if (p.server?.reachable) {
    const version = p.server.version ? `, Kubernetes ${p.server.version}` : '';
    return { clusterExists: true, check: check('cluster', 'ok', true, { en: `kind cluster "${name}" is up${version}`, ko: `kind 클러스터 "${name}" 동작 중${version}` }) };
  }
  if (!p.server) {
    return { clusterExists: true, check: check('cluster', 'skipped', true, { en: `kind cluster "${name}" exists; not reachable without its context`, ko: `kind 클러스터 "${name}"은 있지만 컨텍스트가 없어 접속을 확인하지 않았습니다` }) };
  }
  const error = firstLine(p.server.error) || 'no answer';
  return {
    clusterExists: true,
    check: check(
      'cluster',
      'failed',
      true,
      { en: `kind cluster "${name}" exists but does not answer: ${error}`, ko: `kind 클러스터 "${name}"은 있지만 응답하지 않습니다: ${error}` },
      {
        en: `Start its node again: \`docker start ${name}-control-plane\`; if that does not help, recreate it: \`crashlab down && crashlab up\`.`,
        ko: `노드 컨테이너를 다시 시작하세요: \`docker start ${name}-control-plane\`. 그래도 안 되면 다시 만드세요: \`crashlab down && crashlab up\`.`,
      },
    ),
  };
}

function currentContextNote(p: PreflightProbes): Text {
  const current = p.kubeconfig?.current;
  if (!current) return { en: 'no current context is set', ko: '현재 컨텍스트가 설정되어 있지 않습니다' };
  return { en: `current context is "${current}"`, ko: `현재 컨텍스트는 "${current}"` };
}

function kindContextCheck(p: PreflightProbes, clusterExists: boolean): PreflightCheck {
  if (!p.kubectl.found || !p.kubeconfig) return check('context', 'skipped', false, { en: 'not checked: needs kubectl', ko: '확인하지 않음: kubectl이 필요합니다' });
  const note = currentContextNote(p);
  const has = p.kubeconfig.contexts.includes(DEFAULT_CONTEXT);
  const uses: Text = { en: `crashlab uses "${DEFAULT_CONTEXT}", whatever the current context`, ko: `crashlab은 현재 컨텍스트와 상관없이 "${DEFAULT_CONTEXT}"를 사용합니다` };
  if (has) return check('context', 'ok', clusterExists, { en: `${uses.en}; ${note.en}`, ko: `${uses.ko}. ${note.ko}` });
  if (clusterExists) {
    return check(
      'context',
      'failed',
      true,
      { en: `the kind cluster exists but "${DEFAULT_CONTEXT}" is not in your kubeconfig; ${note.en}`, ko: `kind 클러스터는 있지만 kubeconfig에 "${DEFAULT_CONTEXT}" 컨텍스트가 없습니다. ${note.ko}` },
      { en: `Restore it: \`kind export kubeconfig --name ${DEFAULT_CLUSTER_NAME}\`.`, ko: `다시 추가하세요: \`kind export kubeconfig --name ${DEFAULT_CLUSTER_NAME}\`.` },
    );
  }
  return check('context', 'ok', false, { en: `"${DEFAULT_CONTEXT}" will be added by \`crashlab up\`; ${note.en}`, ko: `"${DEFAULT_CONTEXT}"는 \`crashlab up\`이 추가합니다. ${note.ko}` });
}

function namedContextCheck(p: PreflightProbes, context: string): PreflightCheck {
  if (!p.kubectl.found || !p.kubeconfig) return check('context', 'skipped', true, { en: 'not checked: needs kubectl', ko: '확인하지 않음: kubectl이 필요합니다' });
  const note = currentContextNote(p);
  if (p.kubeconfig.contexts.includes(context)) return check('context', 'ok', true, { en: `context "${context}" found; ${note.en}`, ko: `컨텍스트 "${context}" 있음. ${note.ko}` });
  const known = p.kubeconfig.contexts.length ? p.kubeconfig.contexts.join(', ') : 'none';
  return check(
    'context',
    'failed',
    true,
    { en: `context "${context}" is not in your kubeconfig (contexts: ${known})`, ko: `kubeconfig에 컨텍스트 "${context}"가 없습니다 (있는 컨텍스트: ${known})` },
    { en: 'List your contexts with `kubectl config get-contexts` and pass one of them to --context (or KUBECONFIG=<file> for another kubeconfig file).', ko: '`kubectl config get-contexts`로 컨텍스트 목록을 확인하고 그중 하나를 --context로 넘기세요 (다른 kubeconfig 파일이면 KUBECONFIG=<파일>).' },
  );
}

function serverCheck(p: PreflightProbes, context: string): PreflightCheck {
  if (!p.server) return check('cluster', 'skipped', true, { en: 'not checked: needs kubectl and the context', ko: '확인하지 않음: kubectl과 컨텍스트가 필요합니다' });
  if (p.server.reachable) {
    const version = p.server.version ? ` (Kubernetes ${p.server.version})` : '';
    return check('cluster', 'ok', true, { en: `the API server of "${context}" answers${version}`, ko: `"${context}"의 API 서버가 응답합니다${version}` });
  }
  const error = firstLine(p.server.error) || 'no answer';
  return check(
    'cluster',
    'failed',
    true,
    { en: `the API server of "${context}" does not answer: ${error}`, ko: `"${context}"의 API 서버가 응답하지 않습니다: ${error}` },
    { en: `Check that the cluster is running and your credentials work: \`kubectl --context ${context} cluster-info\`.`, ko: `클러스터가 실행 중인지, 인증 정보가 유효한지 확인하세요: \`kubectl --context ${context} cluster-info\`.` },
  );
}
