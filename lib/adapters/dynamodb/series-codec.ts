/**
 * How a metric series is stored in an item attribute: a Binary of little-endian float64
 * values, one per period, NaN where CloudWatch had no datapoint. A list of DynamoDB Numbers
 * would cost a decimal string per value on every write and read (marshalling on our side,
 * number validation on DynamoDB's); a day of minute data for 1,000 functions is millions of
 * them. Float64 keeps exactly the double CloudWatch returned.
 */
export function encodeSeries(values: readonly (number | null)[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat64(i * 8, value === null || !Number.isFinite(value) ? Number.NaN : value, true));
  return bytes;
}

/** Thrown when a stored series is not a whole number of float64 values. */
export class SeriesEncodingError extends Error {
  override readonly name = "SeriesEncodingError";
}

export function decodeSeries(bytes: Uint8Array): (number | null)[] {
  if (bytes.length % 8 !== 0) throw new SeriesEncodingError(`a stored series has ${bytes.length} bytes, not a multiple of 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: (number | null)[] = new Array(bytes.length / 8);
  for (let i = 0; i < values.length; i++) {
    const value = view.getFloat64(i * 8, true);
    values[i] = Number.isNaN(value) ? null : value;
  }
  return values;
}
