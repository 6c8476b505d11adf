// A client transport that passes every JSON-RPC message through and keeps a copy, so the benchmark
// counts exactly what crossed the wire (request params, result payloads), not what it meant to send.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** One request and its response, as the client sent and received them. */
export interface WireExchange {
  method: string;
  /** `params` of the request (undefined when it had none). */
  params: unknown;
  /** `result` of the response, or its `error` for a JSON-RPC error. */
  result: unknown;
}

export interface RecordingTransport extends Transport {
  /** Exchanges completed since the last call, in the order their responses arrived. */
  take(): WireExchange[];
}

export function recordingTransport(inner: Transport): RecordingTransport {
  const pending = new Map<string | number, { method: string; params: unknown }>();
  let done: WireExchange[] = [];
  const onResponse = (message: JSONRPCMessage) => {
    if (!('id' in message) || message.id === undefined || 'method' in message) return; // requests from the server and notifications are not exchanges
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    done.push({ ...request, result: 'result' in message ? message.result : message.error });
  };
  const wrapper: RecordingTransport = {
    start: () => inner.start(),
    async send(message, options) {
      if ('method' in message && 'id' in message) pending.set(message.id, { method: message.method, params: message.params });
      return inner.send(message, options);
    },
    close: () => inner.close(),
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
    take() {
      const taken = done;
      done = [];
      return taken;
    },
  };
  inner.onmessage = (message, extra) => {
    onResponse(message);
    wrapper.onmessage?.(message, extra);
  };
  inner.onclose = () => wrapper.onclose?.();
  inner.onerror = (error) => wrapper.onerror?.(error);
  return wrapper;
}

/** What an exchange costs, as JSON text: the request's params plus the response's payload. */
export function exchangeText(exchange: WireExchange): string {
  return `${exchange.params === undefined ? '' : JSON.stringify(exchange.params)}${JSON.stringify(exchange.result) ?? ''}`;
}
