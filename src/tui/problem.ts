/** Failures as words for the learner: what went wrong and, when known, what to do next. */

export interface Problem {
  message: string;
  hint?: string;
}

/** Any rejection as words for the learner: the message, and the next step when known. */
export function problemOf(error: unknown): Problem {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return { message: error.message.split('\n')[0] || error.name, hint: typeof hint === 'string' ? hint : undefined };
  }
  return { message: String(error) };
}

