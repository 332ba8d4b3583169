/**
 * The standard normal distribution, for the percentile models of cold-start durations and
 * latency (quantile-sketch.ts): durations are treated as log-normal between the percentiles
 * we know, which is linear in the normal score z = Φ⁻¹(q).
 */

/**
 * Φ(z): the probability that a standard normal value is ≤ z. Uses the Numerical Recipes
 * `erfcc` Chebyshev fit (fractional error below 1.2e-7 everywhere), so Φ(Φ⁻¹(q)) ≈ q.
 */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  // erfc(|z|/√2) / 2 is the upper tail beyond |z|.
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
/** Below this (and above 1 − it) Acklam's algorithm switches to its tail fit. */
const TAIL_Q = 0.02425;

/**
 * Φ⁻¹(q): the normal score of a probability in (0, 1), by P. J. Acklam's rational
 * approximation (relative error below 1.2e-9). ±Infinity at 0 and 1; NaN outside [0, 1].
 */
export function normalQuantile(q: number): number {
  if (!(q >= 0 && q <= 1)) return Number.NaN;
  if (q === 0) return Number.NEGATIVE_INFINITY;
  if (q === 1) return Number.POSITIVE_INFINITY;
  if (q < TAIL_Q) return lowerTail(q);
  if (q > 1 - TAIL_Q) return -lowerTail(1 - q);
  const u = q - 0.5;
  const r = u * u;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * u) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

function lowerTail(q: number): number {
  const s = Math.sqrt(-2 * Math.log(q));
  return (
    (((((C[0]! * s + C[1]!) * s + C[2]!) * s + C[3]!) * s + C[4]!) * s + C[5]!) /
    ((((D[0]! * s + D[1]!) * s + D[2]!) * s + D[3]!) * s + 1)
  );
}
