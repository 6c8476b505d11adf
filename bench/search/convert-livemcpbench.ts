// LiveMCPBench's all_annotations.json → our query-file shape: the task as the query, the annotated
// tools ("Annotator Metadata".Tools, a numbered list) as what must be found, all of them (match: all).
// Run: node --import tsx bench/search/convert-livemcpbench.ts ../shared/eval/livemcpbench/all_annotations.json > test/fixtures/livemcpbench/queries.json
import { readFileSync } from 'node:fs';
import type { QuerySpec } from './query-set.js';

interface Annotation {
  Question: string;
  'Annotator Metadata': { Tools: string };
}

export function convertAnnotations(tasks: readonly Annotation[]): QuerySpec[] {
  return tasks.map((task) => ({
    query: task.Question.trim(),
    expected: [
      ...new Set(
        task['Annotator Metadata'].Tools.split('\n')
          .map((line) => line.replace(/^\s*\d+[.)]\s*/, '').trim())
          .filter(Boolean),
      ),
    ],
    match: 'all' as const,
  }));
}

if (process.argv[2]) {
  const specs = convertAnnotations(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Annotation[]);
  process.stdout.write(`[\n${specs.map((s) => `  ${JSON.stringify(s)}`).join(',\n')}\n]\n`);
}
