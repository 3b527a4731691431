import { describe, expect, it } from 'vitest';
import { isValidUscc, usccCheckChar, usccProblem } from './uscc.ts';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes', () => {
    // The standard's own example and a registered company's code.
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91110000600037341L')).toBe(true);
  });

  it('rejects a code whose check character is wrong, naming the right one', () => {
    expect(usccProblem('91350100M000100Y44')).toBe("check character is '4' but the first 17 characters give '3'");
  });

  it('rejects letters outside the alphabet (I, O, S, V, Z) and wrong lengths', () => {
    expect(usccProblem('91350100M000100YI3')).toMatch(/'I' is not allowed/);
    expect(usccProblem('9135010')).toMatch(/18 characters/);
    expect(isValidUscc('91350100m000100Y43')).toBe(false);
  });

  it('maps a weighted sum of 0 mod 31 to the check character 0', () => {
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });

  it('makes a check character that validates for any 17 leading characters', () => {
    const first17 = '91370811MA3C5Y7K2';
    expect(isValidUscc(first17 + usccCheckChar(first17))).toBe(true);
  });
});
