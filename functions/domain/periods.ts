/**
 * Where a period sits on a date axis and in sorted lists: a month as itself, the combined
 * January–February release ("2023-01/02") at February, its last month. The one home of that rule.
 */
export function periodOrder(period: string): string {
  return period.replace(/^(\d{4})-\d{2}\/(\d{2})$/, "$1-$2");
}

/** Oldest first, by periodOrder. */
export function comparePeriods(a: string, b: string): number {
  return periodOrder(a).localeCompare(periodOrder(b));
}
