/**
 * For a list that a create can refetch before its first answer arrives: Apollo deduplicates identical requests in
 * flight, so that refetch would join the older request and the new row would not show. Without deduplication the
 * refetch is a request of its own and supersedes the first.
 */
export const NO_DEDUP = { queryDeduplication: false } as const;
