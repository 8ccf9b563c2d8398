/**
 * A null optional field is an absent one: IsOptional lets null through, and
 * clients send back what a read answered (`"endsAt": null`). Removed in
 * place, all the way down, so mapping code only ever meets undefined; in
 * place, so DTO classes and prototype-free name maps keep their shape.
 * Iterative, though the body's depth is bounded before (JSON_DEPTH_MAX).
 */
export function dropNullFields<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      pending.push(...(item as unknown[]));
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      if (child === null) Reflect.deleteProperty(item, key);
      else pending.push(child);
    }
  }
  return value;
}
