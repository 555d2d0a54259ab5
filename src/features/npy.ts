// NumPy's .npy format (version 1.0) for float64 matrices: what Python reads with numpy.load, no other package.
import { DataError } from '../core/errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * The bytes of a .npy file holding `data` as a C-order little-endian float64 array of `shape` (its product
 * must equal data.length). The header is padded so that the data starts at a multiple of 64 bytes, as
 * numpy writes it.
 */
export function encodeNpy(data: Float64Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || count !== data.length)
    throw new DataError(
      'NPY_SHAPE_INVALID',
      `shape [${shape.join(', ')}] does not hold ${data.length} values`,
      { shape, length: data.length },
    );
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.length + data.length * 8);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerBytes.length, true);
  out.set(headerBytes, 10);
  const view = new DataView(out.buffer, 10 + headerBytes.length);
  for (let k = 0; k < data.length; k++) view.setFloat64(k * 8, data[k]!, true);
  return out;
}

/**
 * Reads a .npy file written as `encodeNpy` writes it (little-endian float64, C order). Throws DataError
 * NPY_INVALID naming `source` for anything else.
 */
export function decodeNpy(bytes: Uint8Array, source: string): { data: Float64Array; shape: number[] } {
  const bad = (why: string) => new DataError('NPY_INVALID', `${source}: not a float64 .npy file (${why})`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('no \\x93NUMPY magic');
  if (bytes[6] !== 1) throw bad(`format version ${bytes[6]}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  if (!/'descr':\s*'<f8'/.test(header)) throw bad('dtype is not <f8');
  if (!/'fortran_order':\s*False/.test(header)) throw bad('Fortran order');
  const dims = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (dims === undefined) throw bad('no shape');
  const shape = dims
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 10 + headerLength;
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || bytes.length - start !== count * 8)
    throw bad(`shape (${dims}) does not match ${bytes.length - start} data bytes`);
  const data = new Float64Array(count);
  for (let k = 0; k < count; k++) data[k] = view.getFloat64(start + k * 8, true);
  return { data, shape };
}
