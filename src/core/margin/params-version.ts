/**
 * Reproducibility stamp of a parameter set: `<model>#<hash>` where the hash is FNV-1a (32-bit)
 * of the canonical JSON of the params (keys sorted at every level). Same params → same stamp, on
 * every platform; recorded in every MarginResult.
 */

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a 32-bit hash of a string, as 8 hex digits. */
export function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Stamps already computed, per params object and model name (params are immutable). */
const memo = new WeakMap<object, Map<string, string>>();

/**
 * The stamp of a params object. Params are immutable values, so the stamp is memoised per
 * object: hashing once per params set, not once per margin call.
 * @example paramsVersion('portfolio', params) // 'portfolio#1a2b3c4d'
 */
export function paramsVersion(model: string, params: unknown): string {
  if (params === null || typeof params !== 'object') return `${model}#${fnv1a32(canonical(params))}`;
  let byModel = memo.get(params);
  if (!byModel) memo.set(params, (byModel = new Map()));
  let stamp = byModel.get(model);
  if (stamp === undefined) byModel.set(model, (stamp = `${model}#${fnv1a32(canonical(params))}`));
  return stamp;
}
