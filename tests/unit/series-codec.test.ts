import { describe, expect, it } from "vitest";
import { decodeSeries, encodeSeries, SeriesEncodingError } from "@/lib/adapters/dynamodb/series-codec";

describe("the stored series encoding", () => {
  it("round-trips doubles exactly, with null for a missing datapoint", () => {
    const values = [0, 1, null, 0.1 + 0.2, 123456.789, Number.MAX_SAFE_INTEGER, -5e-324, null];
    const bytes = encodeSeries(values);
    expect(bytes.length).toBe(values.length * 8);
    expect(decodeSeries(bytes)).toEqual(values);
  });

  it("is little-endian float64 whatever the machine (0.5 = 00 00 00 00 00 00 e0 3f)", () => {
    expect([...encodeSeries([0.5])]).toEqual([0, 0, 0, 0, 0, 0, 0xe0, 0x3f]);
    // A non-finite value is no datapoint.
    expect(decodeSeries(encodeSeries([Number.POSITIVE_INFINITY]))).toEqual([null]);
  });

  it("reads a series from a slice of a larger buffer (as the SDK may hand it over)", () => {
    const bytes = encodeSeries([1, 2, 3]);
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 5);
    expect(decodeSeries(padded.subarray(5))).toEqual([1, 2, 3]);
  });

  it("refuses bytes that are not whole float64 values", () => {
    expect(() => decodeSeries(new Uint8Array(7))).toThrow(SeriesEncodingError);
  });
});
