#!/usr/bin/env node
// `crashlab ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
