/**
 * What a configured name maps to, if it is configured. Names are data: a
 * category or action called `constructor` or `toString` is a name like any
 * other, never a member that every object inherits from Object.prototype.
 */
export function configuredValue<T>(byName: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(byName, name) ? byName[name] : undefined;
}
