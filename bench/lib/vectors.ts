import { Rng } from "../../lib/random";

/**
 * Clustered vectors like real embeddings: points around a few dozen centres in a low-rank
 * subspace, plus small isotropic noise. Uniform random vectors are HNSW's worst case and nothing
 * like real data, so they are not used here.
 */
export class ClusteredVectors {
  private readonly rng: Rng;
  private readonly basis: Float64Array[];
  private readonly centres: Float64Array[];

  constructor(
    readonly dims: number,
    options: { clusters?: number; rank?: number; seed?: number } = {},
  ) {
    this.rng = new Rng(options.seed ?? 1);
    const rank = options.rank ?? 32;
    this.basis = Array.from({ length: rank }, () => this.gaussianVector(dims));
    this.centres = Array.from({ length: options.clusters ?? 64 }, () => this.gaussianVector(rank));
  }

  private gaussian(): number {
    const u = Math.max(this.rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.next());
  }

  private gaussianVector(n: number): Float64Array {
    return Float64Array.from({ length: n }, () => this.gaussian());
  }

  /** The next vector: a centre, jittered in the subspace, projected up, plus noise, normalised. */
  next(): number[] {
    const centre = this.centres[Math.floor(this.rng.next() * this.centres.length)];
    const out = new Float64Array(this.dims);
    for (let r = 0; r < this.basis.length; r++) {
      const coef = centre[r] + 0.35 * this.gaussian();
      const b = this.basis[r];
      for (let d = 0; d < this.dims; d++) out[d] += coef * b[d];
    }
    let norm = 0;
    for (let d = 0; d < this.dims; d++) {
      out[d] += 0.5 * this.gaussian();
      norm += out[d] * out[d];
    }
    norm = Math.sqrt(norm);
    return Array.from(out, (x) => Math.round((x / norm) * 1e6) / 1e6);
  }
}
