// Streamable HTTP serving's defaults, apart from the server so the CLI can print them without loading it
// (the SDK's HTTP transport and its dependencies cost a noticeable share of a stdio start).

export const HTTP_HOST_DEFAULT = '127.0.0.1';
export const HTTP_PORT_DEFAULT = 8787;
export const MCP_PATH = '/mcp';
/** Matches the SDK's own default; a tool call's arguments rarely come near it. */
export const MAX_BODY_BYTES_DEFAULT = 4 * 1024 * 1024;
/** Kubernetes waits 30 s before SIGKILL by default; finishing within a third of that leaves margin. */
export const SHUTDOWN_TIMEOUT_MS_DEFAULT = 10_000;
