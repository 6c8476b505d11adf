#!/usr/bin/env node
// Runs the CLI in this very process (Node 24+ with isolated-vm 7 needs no re-exec), so signals, the exit
// code and stdio belong to one process and nothing can be orphaned.
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
