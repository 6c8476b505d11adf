// stdio's defaults, apart from the transport so the CLI can print them without loading the MCP SDK.

/** The same default as an HTTP body (--max-body-bytes): a tool call's arguments rarely come near it. */
export const MAX_LINE_BYTES_DEFAULT = 4 * 1024 * 1024;
