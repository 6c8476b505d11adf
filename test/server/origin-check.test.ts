// The DNS-rebinding check alone: which Host and Origin headers pass under each policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOriginCheck } from '../../src/server/origin-check.js';

const passes = (check: ReturnType<typeof createOriginCheck>, headers: Record<string, string>) => check(headers) === undefined;

test('bound to loopback: loopback Host names and Origins only; no Origin is fine', () => {
  const check = createOriginCheck({ boundHost: '127.0.0.1' });
  for (const host of ['127.0.0.1:8787', 'localhost:8787', 'LOCALHOST', '[::1]:9000']) assert.ok(passes(check, { host }), host);
  for (const host of ['evil.example.com', 'evil.example.com:8787', '127.0.0.1.nip.io', '']) assert.ok(!passes(check, { host }), host);
  assert.ok(!passes(check, {}), 'a request with no Host at all');
  for (const origin of ['http://localhost:6274', 'https://127.0.0.1', 'http://[::1]:3000']) assert.ok(passes(check, { host: 'localhost', origin }), origin);
  for (const origin of ['http://evil.example.com', 'http://localhost.evil.com', 'null', 'file://']) assert.ok(!passes(check, { host: 'localhost', origin }), origin);
});

test('bound to all interfaces: any Host (a proxy names it), Origins still checked', () => {
  const check = createOriginCheck({ boundHost: '0.0.0.0' });
  assert.ok(passes(check, { host: 'mcp.example.com' }));
  assert.ok(!passes(check, { host: 'mcp.example.com', origin: 'https://mcp.example.com' }), 'same-site is not enough: that is what rebinding looks like');
});

test('explicit lists replace the defaults and compare normalized origins', () => {
  const check = createOriginCheck({ boundHost: '0.0.0.0', allowedOrigins: ['https://App.Example.com/'], allowedHosts: ['mcp.example.com'] });
  assert.ok(passes(check, { host: 'mcp.example.com:443', origin: 'https://app.example.com' }));
  assert.ok(!passes(check, { host: 'other.example.com', origin: 'https://app.example.com' }));
  assert.ok(!passes(check, { host: 'mcp.example.com', origin: 'http://app.example.com' }), 'scheme matters');
  assert.ok(!passes(check, { host: 'mcp.example.com', origin: 'http://localhost:6274' }));
});
