/**
 * Well-known log lines and the cause each points to. Ordered most specific first: a Python
 * traceback ending in "database is locked" is lock contention, not a generic exception.
 */
import type { CategoryId } from '../categories.js';
import type { Text } from '../text.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface LogSignature {
  category: CategoryId;
  confidence: Confidence;
  pattern: RegExp;
  summary: Text;
}

const t = (en: string, ko: string): Text => ({ en, ko });

export const LOG_SIGNATURES: readonly LogSignature[] = [
  {
    category: 'read-only-fs',
    confidence: 'high',
    pattern: /read-only file system|EROFS/i,
    summary: t('The app writes to a read-only root filesystem (EROFS).', '앱이 읽기 전용 루트 파일시스템에 쓰려다 실패합니다(EROFS).'),
  },
  {
    category: 'port-conflict',
    confidence: 'high',
    pattern: /address already in use|EADDRINUSE|bind: address in use/i,
    summary: t('The port is already taken: another listener in the same network namespace holds it.', '포트가 이미 사용 중입니다: 같은 네트워크 네임스페이스의 다른 리스너가 점유하고 있습니다.'),
  },
  {
    category: 'lock-contention',
    confidence: 'high',
    pattern: /database is locked|could not obtain lock|lock file exists|unable to acquire lock|is locked by another process/i,
    summary: t('A lock is held by someone else (another replica or a stale lock file).', '다른 주체(다른 레플리카나 남은 락 파일)가 락을 잡고 있습니다.'),
  },
  {
    category: 'node-resources',
    confidence: 'high',
    pattern: /no space left on device|ENOSPC|disk quota exceeded/i,
    summary: t('The disk or volume is full (no space left on device).', '디스크나 볼륨이 가득 찼습니다(no space left on device).'),
  },
  {
    category: 'time-tls',
    confidence: 'high',
    pattern: /x509: certificate has expired or is not yet valid|certificate (has )?expired|certificate is not yet valid|x509:/i,
    summary: t('TLS verification fails: the certificate is expired or not yet valid (or the clock is wrong).', 'TLS 검증 실패: 인증서가 만료됐거나 아직 유효하지 않습니다(또는 시계가 틀림).'),
  },
  {
    category: 'image-entrypoint',
    confidence: 'high',
    pattern: /exec format error|no main manifest attribute/i,
    summary: t('The binary cannot run on this node (wrong architecture or missing shebang).', '이 노드에서 바이너리를 실행할 수 없습니다(아키텍처 불일치 또는 셔뱅 누락).'),
  },
  {
    category: 'oom-killed',
    confidence: 'medium',
    pattern: /out of memory|OutOfMemoryError|Cannot allocate memory|heap out of memory|MemoryError/i,
    summary: t('The app ran out of memory itself (an allocation failed inside the process).', '앱 내부에서 메모리가 부족했습니다(프로세스 안에서 할당 실패).'),
  },
  {
    category: 'missing-config',
    confidence: 'high',
    pattern: /KeyError|must be set|is not set|is required|missing (required )?(env|environment|config|setting)|environment variable \S+ (not found|missing|undefined)/i,
    summary: t('The app exits because a setting (environment variable or config key) is missing.', '설정(환경변수나 설정 키)이 없어서 앱이 종료합니다.'),
  },
  {
    category: 'bad-command',
    confidence: 'high',
    pattern: /: not found$|command not found|executable file not found/i,
    summary: t('The shell cannot find the program the command names.', '셸이 command에 적힌 프로그램을 찾지 못합니다.'),
  },
  {
    category: 'bad-command',
    confidence: 'medium',
    pattern: /unrecognized option|invalid option|unknown (flag|option|shorthand flag)|flag provided but not defined|^usage:/i,
    summary: t('The program rejects its arguments: check `args` against its usage.', '프로그램이 인자를 거부합니다: `args`를 사용법과 비교하세요.'),
  },
  {
    category: 'config-path-permission',
    confidence: 'medium',
    pattern: /permission denied|EACCES/i,
    summary: t('The app is denied access to a file or directory it needs.', '앱이 필요한 파일이나 디렉터리에 접근 권한이 없습니다.'),
  },
  {
    category: 'config-path-permission',
    confidence: 'medium',
    pattern: /no such file or directory|ENOENT|can't open/i,
    summary: t('The app opens a file that is not there (wrong path or mount).', '앱이 없는 파일을 엽니다(경로나 마운트가 틀림).'),
  },
  {
    category: 'dependency-not-ready',
    confidence: 'medium',
    pattern: /connection refused|ECONNREFUSED|could not connect|connection timed out|i\/o timeout|no such host|Name or service not known|temporary failure in name resolution/i,
    summary: t('The app cannot reach a dependency at start-up and exits.', '앱이 시작할 때 의존 서비스에 연결하지 못하고 종료합니다.'),
  },
  {
    category: 'security-context',
    confidence: 'medium',
    pattern: /operation not permitted|EPERM/i,
    summary: t('The kernel refuses an operation: the security context does not allow it.', '커널이 작업을 거부합니다: 보안 컨텍스트가 허용하지 않습니다.'),
  },
  {
    category: 'app-exception',
    confidence: 'medium',
    pattern: /Traceback \(most recent call last\)|^panic:|uncaught|unhandled|Exception|^\s*at \S+\(|fatal error|\bERROR\b|\bError:/i,
    summary: t('The app throws an error and exits.', '앱이 오류를 던지고 종료합니다.'),
  },
];

export interface LogMatch {
  signature: LogSignature;
  line: string;
}

/**
 * The best-ranked signature found anywhere in the text, with the line it matched (the line
 * nearest the end, where the fatal error usually is).
 */
export function matchLog(text: string | undefined): LogMatch | undefined {
  if (!text) return undefined;
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  for (const signature of LOG_SIGNATURES) {
    for (let i = lines.length - 1; i >= 0; i--) {
      if (signature.pattern.test(lines[i])) return { signature, line: lines[i] };
    }
  }
  return undefined;
}

/** The last non-empty lines, for evidence when no signature matched. */
export function tail(text: string | undefined, count: number): string[] {
  if (!text) return [];
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-count);
}
