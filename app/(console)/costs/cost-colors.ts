/**
 * Colours of the Costs page's buckets, shared by the trend, the treemap and the tables'
 * swatches so one bucket has one colour everywhere on the page. Unallocated and idle have
 * their own colours (grey and amber) that no allocation value ever gets: they are what
 * finance must notice.
 */

/** Allocation values, in the view's order (largest first); distinct for the first ten. */
const VALUE_PALETTE = ["#2563eb", "#0d9488", "#7c3aed", "#db2777", "#65a30d", "#0891b2", "#c2410c", "#4f46e5", "#be123c", "#15803d"] as const;

export const UNALLOCATED_COLOR = "#8b95a5";
export const IDLE_COLOR = "#d97706";
/** The "Other" series that gathers the smallest values on the trend. */
export const OTHER_COLOR = "#cbd5e1";

/**
 * The colour of a bucket: `valueIndex` is the bucket's position among the value buckets of the
 * view (largest first); unallocated and idle ignore it.
 */
export function bucketColor(bucketId: string, valueIndex: number): string {
  if (bucketId === "unallocated") return UNALLOCATED_COLOR;
  if (bucketId === "idle") return IDLE_COLOR;
  return VALUE_PALETTE[((valueIndex % VALUE_PALETTE.length) + VALUE_PALETTE.length) % VALUE_PALETTE.length]!;
}

/** Colour per bucket id for a list of buckets in the view's order. */
export function bucketColors(bucketIds: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  let valueIndex = 0;
  for (const id of bucketIds) {
    colors.set(id, bucketColor(id, valueIndex));
    if (id !== "unallocated" && id !== "idle") valueIndex += 1;
  }
  return colors;
}
