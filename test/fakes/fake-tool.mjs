// A stand-in for kubectl, kind and docker in the adapter tests (test/fakes/bin/* exec it).
// It appends {tool, argv, stdin, gomaxprocs} as one JSON line to $FAKE_LOG, then answers with the first
// rule in $FAKE_RULES (a JSON array) whose `args` all appear in argv: canned stdout/stderr
// (inline or a file under outputs/), an exit code, and optionally slow streaming, a pid file,
// a child process (to prove a whole process tree is stopped) or hanging until killed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const [tool, ...argv] = process.argv.slice(2);
const entry = { tool, argv };
// The Go runtime setting a real kubectl would run with (watches set it).
if (process.env.GOMAXPROCS !== undefined) entry.gomaxprocs = process.env.GOMAXPROCS;
const f = argv.indexOf('-f');
if (f >= 0 && argv[f + 1] === '-') entry.stdin = fs.readFileSync(0, 'utf8');
if (process.env.FAKE_LOG) fs.appendFileSync(process.env.FAKE_LOG, `${JSON.stringify(entry)}\n`);

const rules = process.env.FAKE_RULES ? JSON.parse(fs.readFileSync(process.env.FAKE_RULES, 'utf8')) : [];
// A rule with `times` answers that many matching calls, then lets later rules answer.
const countsFile = process.env.FAKE_RULES ? `${process.env.FAKE_RULES}.counts.json` : undefined;
const counts = countsFile && fs.existsSync(countsFile) ? JSON.parse(fs.readFileSync(countsFile, 'utf8')) : {};
const ruleIndex = rules.findIndex((r, i) => r.tool === tool && (r.args ?? []).every((a) => argv.includes(a)) && (r.times === undefined || (counts[i] ?? 0) < r.times));
const rule = rules[ruleIndex];
if (rule?.times !== undefined) {
  counts[ruleIndex] = (counts[ruleIndex] ?? 0) + 1;
  fs.writeFileSync(countsFile, JSON.stringify(counts));
}
if (!rule) {
  process.stderr.write(`fake ${tool}: no canned output for ${JSON.stringify(argv)}\n`);
  process.exit(99);
}

const outputs = new URL('./outputs/', import.meta.url);
const content = (text, file) => Buffer.from(text ?? (file ? fs.readFileSync(new URL(file, outputs), 'utf8') : ''), 'utf8');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const write = (stream, data) => new Promise((resolve) => stream.write(data, resolve));

/** Line by line (kind's progress), in odd-sized byte chunks (a watch stream), or at once. */
async function emit(stream, data) {
  if (data.length === 0) return;
  if (rule.lineDelayMs !== undefined) {
    let start = 0;
    while (start < data.length) {
      const end = data.indexOf(10, start);
      const stop = end < 0 ? data.length : end + 1;
      await write(stream, data.subarray(start, stop));
      start = stop;
      await sleep(rule.lineDelayMs);
    }
  } else if (rule.chunkBytes) {
    for (let i = 0; i < data.length; i += rule.chunkBytes) {
      await write(stream, data.subarray(i, i + rule.chunkBytes));
      await sleep(rule.chunkDelayMs ?? 0);
    }
  } else {
    await write(stream, data);
  }
}

if (rule.pidFile) fs.writeFileSync(rule.pidFile, String(process.pid));
if (rule.childPidFile) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.writeFileSync(rule.childPidFile, String(child.pid));
}
await emit(process.stderr, content(rule.stderr, rule.stderrFile));
await emit(process.stdout, content(rule.stdout, rule.stdoutFile));
if (rule.hang) setInterval(() => {}, 1000);
else process.exitCode = rule.exit ?? 0;
