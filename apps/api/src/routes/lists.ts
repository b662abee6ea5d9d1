import type { ListResult, Page } from '@payin/core';

export function pageOf(q: { limit?: number; starting_after?: string; ending_before?: string }): Page {
  return {
    limit: q.limit ?? 10,
    ...(q.starting_after ? { startingAfter: q.starting_after } : {}),
    ...(q.ending_before ? { endingBefore: q.ending_before } : {}),
  };
}

export function listReply<R, V>(url: string, result: ListResult<R>, view: (r: R) => V) {
  return { object: 'list' as const, data: result.data.map(view), has_more: result.hasMore, url };
}
