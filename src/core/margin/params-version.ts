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

/**
 * @example paramsVersion('portfolio', params) // 'portfolio#1a2b3c4d'
 */
export function paramsVersion(model: string, params: unknown): string {
  return `${model}#${fnv1a32(canonical(params))}`;
}
