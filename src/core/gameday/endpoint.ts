/**
 * What is wrong with a team kubeconfig's connection, said once, the same way at `gameday
 * create` (the instructor) and at `join` (the participant). Pure: no I/O.
 */
import type { Text } from '../text.js';

export type EndpointRisk = 'plain-http' | 'skip-tls' | 'loopback';

/** The API server's address, and whether TLS verification is skipped. */
export interface Connection {
  server: string;
  insecure?: boolean;
}

function hostOf(server: string): string | undefined {
  try {
    return new URL(server).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/** A host only this machine reaches: 127.0.0.0/8, ::1, localhost, 0.0.0.0. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./.test(host);
}

export function endpointRisks(connection: Connection): EndpointRisk[] {
  const risks: EndpointRisk[] = [];
  if (/^http:\/\//i.test(connection.server)) risks.push('plain-http');
  if (connection.insecure) risks.push('skip-tls');
  const host = hostOf(connection.server);
  if (host && isLoopback(host)) risks.push('loopback');
  return risks;
}

/** Risks that expose a team's token to the network: create refuses them without --allow-insecure. */
export const CREDENTIAL_RISKS: readonly EndpointRisk[] = ['plain-http', 'skip-tls'];

/** For the instructor at `gameday create`. */
export function createRiskMessage(risk: EndpointRisk, server: string): string {
  switch (risk) {
    case 'plain-http':
      return `the context's server ${server} is plain http://: every team's token would cross the network unencrypted`;
    case 'skip-tls':
      return `the context skips TLS verification (insecure-skip-tls-verify: true): a team's token goes to whoever answers at ${server}`;
    case 'loopback':
      return `the context's server ${server} is this machine's loopback address: it works only on this machine, not on the teams' laptops (give teams a context whose server they can reach)`;
  }
}

/** For the participant at `join`. */
export function joinRiskText(risk: EndpointRisk, server: string): Text {
  switch (risk) {
    case 'plain-http':
      return {
        en: `the kubeconfig's server ${server} is plain http://: your token crosses the network unencrypted. Ask your instructor for an https:// kubeconfig.`,
        ko: `kubeconfig의 서버 ${server}는 암호화되지 않은 http://입니다. 토큰이 암호화 없이 네트워크를 지납니다. 강사에게 https:// kubeconfig를 요청하세요.`,
      };
    case 'skip-tls':
      return {
        en: `the kubeconfig skips TLS verification (insecure-skip-tls-verify: true): your token goes to whoever answers at ${server}. Ask your instructor for a kubeconfig with the cluster CA.`,
        ko: `kubeconfig가 TLS 검증을 건너뜁니다(insecure-skip-tls-verify: true). ${server}에서 응답하는 누구에게나 토큰이 전달됩니다. 강사에게 클러스터 CA가 들어 있는 kubeconfig를 요청하세요.`,
      };
    case 'loopback':
      return {
        en: `the kubeconfig's server ${server} is a loopback address: it reaches only the machine it runs on, not your instructor's cluster (unless you play on that machine).`,
        ko: `kubeconfig의 서버 ${server}는 루프백 주소입니다. 이 컴퓨터 자신에만 연결되며 강사의 클러스터에는 닿지 않습니다(그 컴퓨터에서 실습하는 경우는 예외입니다).`,
      };
  }
}

/** A kubeconfig file others may read (a bearer token inside), for `join`. */
export function readableByOthersText(file: string, mode: number): Text {
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return {
    en: `${file} can be read by other users of this machine (mode ${octal}) and holds your team's token: run chmod 600 ${file}`,
    ko: `${file}은 이 컴퓨터의 다른 사용자도 읽을 수 있고(모드 ${octal}) 팀 토큰이 들어 있습니다. chmod 600 ${file}을 실행하세요.`,
  };
}
