/** The ids in their new order after moving `id` by `delta` places; null when it cannot move. */
export function moveId<T extends { id: string }>(
  items: readonly T[],
  id: string,
  delta: number,
): string[] | null {
  const index = items.findIndex((item) => item.id === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= items.length) return null;
  const ids = items.map((item) => item.id);
  [ids[index], ids[target]] = [ids[target]!, ids[index]!];
  return ids;
}
