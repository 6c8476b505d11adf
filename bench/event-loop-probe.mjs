// Loaded into a server under test with `node --import ./bench/event-loop-probe.mjs …`: every 250 ms it
// writes the longest event-loop delay of that interval to stderr, as a JSON line bench/abuse.ts reads.
// Plain JS so plain node loads it without a TypeScript loader.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
setInterval(() => {
  process.stderr.write(`${JSON.stringify({ probe: 'event-loop', maxMs: Math.round(histogram.max / 1e5) / 10 })}\n`);
  histogram.reset();
}, 250).unref();
