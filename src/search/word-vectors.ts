// The built-in embedding model as data: word vectors (int8, one scale per row), a SIF weight per word
// and the common component to remove. One flat binary file, decoded with typed-array copies, so
// loading it costs a few milliseconds and needs nothing but the bytes.

export interface WordVectors {
  readonly dims: number;
  readonly words: readonly string[];
  /** Word → row. */
  readonly rows: ReadonlyMap<string, number>;
  /** count × dims, row-major; a row's true value is `vectors[i] * scales[row]`. */
  readonly vectors: Int8Array;
  readonly scales: Float32Array;
  /** SIF weight a / (a + p(w)) per row: frequent words count for little. */
  readonly weights: Float32Array;
  /** Unit vector shared by most sentences (the first principal component); removed from each. */
  readonly component: Float32Array;
  /** How it was built (corpus, trainer settings); informational. */
  readonly meta: Record<string, unknown>;
}

const MAGIC = 0x56575354; // "TSWV" little-endian
const VERSION = 1;
const HEADER_BYTES = 24;

/** Bytes of the model file: header, meta JSON, words, then the float and int8 arrays (4-byte aligned). */
export function encodeWordVectors(model: Omit<WordVectors, 'rows'>): Uint8Array {
  const count = model.words.length;
  if (model.vectors.length !== count * model.dims) throw new Error(`vectors hold ${model.vectors.length} values, expected ${count} × ${model.dims}`);
  const meta = new TextEncoder().encode(JSON.stringify(model.meta));
  const words = new TextEncoder().encode(model.words.join('\n'));
  const floatsAt = align4(HEADER_BYTES + meta.length + words.length);
  const vectorsAt = floatsAt + 4 * (2 * count + model.dims);
  const bytes = new Uint8Array(vectorsAt + model.vectors.length);
  const view = new DataView(bytes.buffer);
  [MAGIC, VERSION, model.dims, count, meta.length, words.length].forEach((n, i) => view.setUint32(4 * i, n, true));
  bytes.set(meta, HEADER_BYTES);
  bytes.set(words, HEADER_BYTES + meta.length);
  const floats = new Float32Array(bytes.buffer, floatsAt, 2 * count + model.dims);
  floats.set(model.scales, 0);
  floats.set(model.weights, count);
  floats.set(model.component, 2 * count);
  bytes.set(new Uint8Array(model.vectors.buffer, model.vectors.byteOffset, model.vectors.length), vectorsAt);
  return bytes;
}

export function decodeWordVectors(input: Uint8Array): WordVectors {
  // A copy gives an aligned buffer of our own whatever pool the caller's bytes came from.
  const bytes = new Uint8Array(input);
  const view = new DataView(bytes.buffer);
  if (bytes.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error('not a toolshed word-vector file');
  const [version, dims, count, metaLength, wordsLength] = [1, 2, 3, 4, 5].map((i) => view.getUint32(4 * i, true)) as [number, number, number, number, number];
  if (version !== VERSION) throw new Error(`word-vector file version ${version}, this build reads ${VERSION}`);
  const decoder = new TextDecoder();
  const meta = JSON.parse(decoder.decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength))) as Record<string, unknown>;
  const words = decoder.decode(bytes.subarray(HEADER_BYTES + metaLength, HEADER_BYTES + metaLength + wordsLength)).split('\n');
  const floatsAt = align4(HEADER_BYTES + metaLength + wordsLength);
  const vectorsAt = floatsAt + 4 * (2 * count + dims);
  if (words.length !== count || bytes.length !== vectorsAt + count * dims) throw new Error('word-vector file is truncated or corrupt');
  const floats = new Float32Array(bytes.buffer, floatsAt, 2 * count + dims);
  return {
    dims,
    words,
    rows: new Map(words.map((word, i) => [word, i])),
    vectors: new Int8Array(bytes.buffer, vectorsAt, count * dims),
    scales: floats.subarray(0, count),
    weights: floats.subarray(count, 2 * count),
    component: floats.subarray(2 * count),
    meta,
  };
}

/** Per-row symmetric int8 quantization: the row's largest magnitude maps to 127. */
export function quantizeRows(values: Float32Array, dims: number): { vectors: Int8Array; scales: Float32Array } {
  const count = values.length / dims;
  const vectors = new Int8Array(values.length);
  const scales = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(values[r * dims + d]!));
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let d = 0; d < dims; d++) vectors[r * dims + d] = Math.round(values[r * dims + d]! / scale);
  }
  return { vectors, scales };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
