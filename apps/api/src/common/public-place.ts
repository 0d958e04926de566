/** Decimal places a public position keeps: 3 is a cell of about 110 m × 90 m at Mersin's latitude, never one home. */
export const PUBLIC_COORDINATE_DECIMALS = 3;

/**
 * A coordinate as anyone but the citizen and staff may see it (Open311, platform users who did
 * not submit the ticket): rounded to PUBLIC_COORDINATE_DECIMALS.
 */
export function publicCoordinate(value: string | number | null): number | null {
  if (value === null) return null;
  const factor = 10 ** PUBLIC_COORDINATE_DECIMALS;
  return Math.round(Number(value) * factor) / factor;
}
