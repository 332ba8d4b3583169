/**
 * Distribution helpers that turn one uniform number into a sample (inverse-CDF sampling), so
 * each sample is a pure function of its hash-derived uniform.
 */

/** z-score of the 99th percentile of the standard normal distribution. */
export const Z_P99 = 2.326347874040841;

// Acklam's coefficients, allocated once: this function runs for every function-minute.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error
 * < 1.15e-9). `p` must be in (0, 1).
 */
export function normalInverseCdf(p: number): number {
  const a = ACKLAM_A;
  const b = ACKLAM_B;
  const c = ACKLAM_C;
  const d = ACKLAM_D;
  const pLow = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Standard normal CDF via the Numerical Recipes erfc Chebyshev fit (error < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(
    -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * A Poisson(mean) sample from uniform `u`: exact inverse CDF for small means, a rounded normal
 * approximation for large ones (where the two are indistinguishable for telemetry).
 */
export function poissonFromUniform(mean: number, u: number): number {
  if (mean <= 0) return 0;
  if (mean < 50) {
    let k = 0;
    let probability = Math.exp(-mean);
    let cumulative = probability;
    // Bounded loop: the tail beyond mean + 20 sqrt(mean) + 20 is far below double precision.
    const limit = Math.ceil(mean + 20 * Math.sqrt(mean) + 20);
    while (u > cumulative && k < limit) {
      k++;
      probability *= mean / k;
      cumulative += probability;
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalInverseCdf(u)));
}

/**
 * A Binomial(trials, probability) sample from uniform `u`, via Poisson for rare events and a
 * normal approximation otherwise; always within [0, trials].
 */
export function binomialFromUniform(trials: number, probability: number, u: number): number {
  if (trials <= 0 || probability <= 0) return 0;
  if (probability >= 1) return trials;
  const mean = trials * probability;
  const variance = mean * (1 - probability);
  const sample = mean < 50 || variance < 25
    ? poissonFromUniform(mean, u)
    : Math.round(mean + Math.sqrt(variance) * normalInverseCdf(u));
  return Math.min(trials, Math.max(0, sample));
}

/** Rounds `value` down or up at random so the expected result equals `value`. */
export function stochasticRound(value: number, u: number): number {
  const floor = Math.floor(value);
  return u < value - floor ? floor + 1 : floor;
}
