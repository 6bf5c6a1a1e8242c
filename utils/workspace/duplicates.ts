import { EXPLANATION_MAX } from '../schema/limits';
import { normalizeText } from './duplicate-key';

export { duplicateIndex, duplicateKey, findDuplicateGroups, normalizeUrl } from './duplicate-key';

/**
 * The explanations of duplicates folded into the one kept: each distinct text once, in order,
 * separated by a blank line; refused (undefined) when the result would be too long to send.
 */
export function mergeExplanations(explanations: readonly string[], max = EXPLANATION_MAX): string | undefined {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const explanation of explanations) {
    const trimmed = explanation.trim();
    if (!trimmed || seen.has(normalizeText(trimmed))) continue;
    seen.add(normalizeText(trimmed));
    parts.push(trimmed);
  }
  const merged = parts.join('\n\n');
  return merged.length > max ? undefined : merged;
}
