// The .npy encoder: numpy's exact header layout, little-endian float64 values, and refusals.
import { describe, expect, it } from 'vitest';
import { DataError } from '../core/errors.js';
import { decodeNpy, encodeNpy } from './npy.js';

describe('.npy files', () => {
  it('writes numpy version 1.0 with a 64-byte aligned header and little-endian float64 data', () => {
    const bytes = encodeNpy(Float64Array.of(1, -2.5, Number.NaN, 1e-300, 3, 4), [2, 3]);
    const headerLength = bytes[8]! + 256 * bytes[9]!;
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLength + 6 * 8);
    const view = new DataView(bytes.buffer, 10 + headerLength);
    expect(view.getFloat64(8, true)).toBe(-2.5);
    expect(view.getFloat64(24, true)).toBe(1e-300);
  });

  it('reads back what it wrote, bit for bit, including one-dimensional and empty arrays', () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) / 3);
    expect(decodeNpy(encodeNpy(data, [4, 3]), 'x')).toEqual({ data, shape: [4, 3] });
    expect(decodeNpy(encodeNpy(data, [12]), 'x').shape).toEqual([12]);
    expect(decodeNpy(encodeNpy(new Float64Array(0), [0, 5]), 'x').shape).toEqual([0, 5]);
  });

  it('refuses a shape that does not hold the data, and files that are not float64 .npy', () => {
    expect(() => encodeNpy(new Float64Array(5), [2, 3])).toThrow(DataError);
    expect(() => decodeNpy(new TextEncoder().encode('hello world'), 'f.npy')).toThrow(
      /f.npy: not a float64 .npy file \(no \\x93NUMPY magic\)/,
    );
    const bytes = encodeNpy(new Float64Array(4), [4]);
    const f4 = bytes.slice();
    f4[Buffer.from(f4).indexOf('<f8') + 2] = '4'.charCodeAt(0);
    expect(() => decodeNpy(f4, 'g.npy')).toThrow(/dtype is not <f8/);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 8), 'h.npy')).toThrow(
      /does not match 24 data bytes/,
    );
  });
});
