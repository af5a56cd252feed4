/**
 * A table's own entry for a key that came from outside (a URL, a form, a stored row), or undefined.
 * `table[key]` would also find what every plain object inherits: `constructor`, `toString`, `__proto__`
 * are "known" to `{}`, and a method named `constructor` would reach Object instead of "not enabled".
 */
export function own<V>(table: Readonly<Partial<Record<string, V>>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
