#!/usr/bin/env node
// Output errors (a closed pipe, a full disk) and signals are handled in main().
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
