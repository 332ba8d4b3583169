/**
 * The map's search box: which nodes a query matches. Several words narrow (every word must
 * match); case does not matter; a word matches a node's name, its kind (`dynamodb-table`),
 * its X-Ray type, its service or the functions a collapsed service holds.
 */

/** What search looks at on a node. */
export interface SearchableNode {
  name: string;
  kind: string;
  type: string;
  /** The service label of a Lambda node or collapsed service. */
  service: string | null;
  functionNames: readonly string[];
}

/** The words of a query, lower-cased; none for a blank query. */
export function searchTermsOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((term) => term.length > 0);
}

/** Whether a node matches every term (a blank query matches every node). */
export function matchesSearch(node: SearchableNode, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = [node.name, node.kind, node.type, node.service ?? "", ...node.functionNames].map((s) => s.toLowerCase());
  return terms.every((term) => haystack.some((text) => text.includes(term)));
}
