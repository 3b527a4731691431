/** 1 mu (亩) = 10,000 / 15 m² ≈ 666.67 m². */
export const M2_PER_MU = 10000 / 15;

export function m2ToMu(m2: number): number {
  return m2 / M2_PER_MU;
}
