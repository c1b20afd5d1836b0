/**
 * Decodes pgvector's binary form (what `vector_send` returns: int16 dimensions, int16 unused, then
 * big-endian float4 values). Fetching the binary form avoids printing and re-parsing 256 decimals
 * per vector, which dominated this stage; the float4 values are the very ones the text form
 * spells (pgvector prints the shortest round-tripping decimal), so MMR sees identical vectors.
 */
export function fromVectorBinary(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = view.getUint16(0);
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) out[i] = view.getFloat32(4 + 4 * i);
  return out;
}
