// search_tools' input bound, apart from the index so the meta-tools' definitions can state it without
// loading the search code (and its analyzer) before the first `initialize` is answered.

/** Longest query searched (search_tools' `query` maxLength): a request is a sentence or two, not a document. */
export const MAX_QUERY_CHARS = 4000;
