/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from an alphabet of 31
 * (digits and capitals without I, O, Z, S, V); the 18th is a check character over the first 17.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters of a code, or null if one is outside the alphabet. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why a code is not a valid USCC, or null when it is. */
export function usccProblem(code: string): string | null {
  if (code.length !== 18) return `must be 18 characters, got ${code.length}`;
  const bad = [...code].find((c) => !USCC_ALPHABET.includes(c));
  if (bad !== undefined) return `character '${bad}' is not allowed (0-9 and A-Y without I, O, S, V, Z)`;
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code[17]) return `check character is '${code[17]}' but the first 17 characters give '${expected}'`;
  return null;
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}
