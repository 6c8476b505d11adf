// Small hand-made ToolEntry values for unit tests of the search modules.
import type { JsonSchema, ToolEntry } from '../../src/catalog/tool-entry.js';

export interface ToolSketch {
  name: string;
  summary: string;
  method?: string;
  path?: string;
  description?: string;
  tags?: string[];
  params?: string[];
  body?: Record<string, JsonSchema>;
  namespace?: string;
}

export function tool(s: ToolSketch): ToolEntry {
  const namespace = s.namespace ?? 'demo';
  const properties: Record<string, JsonSchema> = Object.fromEntries((s.params ?? []).map((p) => [p, { type: 'string' }]));
  if (s.body) properties.body = { $ref: '#/$defs/Body' };
  return {
    namespace,
    name: s.name,
    id: `${namespace}.${s.name}`,
    summary: s.summary,
    description: s.description ?? '',
    tags: s.tags ?? [],
    input: { root: { type: 'object', properties }, defs: s.body ? { Body: { type: 'object', properties: s.body } } : {} },
    annotations: {},
    binding: {
      kind: 'http',
      method: s.method ?? 'GET',
      path: s.path ?? `/${s.name}`,
      servers: [{ url: 'https://api.example.test' }],
      parameters: (s.params ?? []).map((p) => ({ property: p, name: p, in: 'query' as const, required: false, style: 'form', explode: true, schema: { type: 'string' } })),
      ...(s.body ? { body: { property: 'body', contentType: 'application/json', required: true } } : {}),
      security: [],
    },
  };
}
