#!/usr/bin/env node
// Runs the CLI in this very process (Node 24+ with isolated-vm 7 needs no re-exec), so signals, the exit
// code and stdio belong to one process and nothing can be orphaned.
import module from 'node:module';

// Node's on-disk compile cache (in the OS temp folder): later starts skip compiling the same modules again.
module.enableCompileCache?.();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
