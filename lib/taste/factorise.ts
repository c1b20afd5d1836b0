import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import { Rng } from "../random";

/** A sparse matrix by rows: row r holds the columns cols[r] with the values vals[r]. */
export interface SparseRows {
  cols: Int32Array[];
  vals: Float64Array[];
  nCols: number;
}

export interface TruncatedSvd {
  /** Right singular vectors, column-major per title: v[j * rank + k] is title j's k-th coordinate. */
  v: Float64Array;
  singularValues: number[];
  rank: number;
}

/** X (m x n, sparse) times B (n x l, dense): m x l. */
function times(x: SparseRows, b: Matrix): Matrix {
  const l = b.columns;
  const out = new Matrix(x.cols.length, l);
  for (let r = 0; r < x.cols.length; r++) {
    const row = out.getRow(r);
    const cols = x.cols[r];
    const vals = x.vals[r];
    for (let i = 0; i < cols.length; i++) {
      const bRow = b.getRow(cols[i]);
      for (let k = 0; k < l; k++) row[k] += vals[i] * bRow[k];
    }
    out.setRow(r, row);
  }
  return out;
}

/** X^T (n x m) times B (m x l, dense): n x l. */
function timesTransposed(x: SparseRows, b: Matrix): Matrix {
  const l = b.columns;
  const acc = Array.from({ length: x.nCols }, () => new Float64Array(l));
  for (let r = 0; r < x.cols.length; r++) {
    const bRow = b.getRow(r);
    const cols = x.cols[r];
    const vals = x.vals[r];
    for (let i = 0; i < cols.length; i++) {
      const a = acc[cols[i]];
      for (let k = 0; k < l; k++) a[k] += vals[i] * bRow[k];
    }
  }
  return new Matrix(acc.map((a) => Array.from(a)));
}

const orthonormal = (y: Matrix) => new QrDecomposition(y).orthogonalMatrix;

/**
 * The leading `rank` right singular vectors of a sparse matrix by randomised SVD (Halko,
 * Martinsson & Tropp 2011): a seeded Gaussian sketch with `oversample` extra columns, `powerIters`
 * power iterations re-orthonormalised by QR, then the small problem B B^T (l x l) solved exactly
 * by ml-matrix's symmetric eigendecomposition. Cost: (2 powerIters + 2) passes over the non-zeros
 * times l, plus QR of an m x l matrix: linear in the data, so it scales with a sample of people.
 */
export function truncatedSvd(
  x: SparseRows,
  rank: number,
  options: { seed?: number; oversample?: number; powerIters?: number } = {},
): TruncatedSvd {
  const l = Math.min(rank + (options.oversample ?? 10), x.nCols, x.cols.length);
  const rng = new Rng(options.seed ?? 1);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const omega = new Matrix(x.nCols, l);
  for (let i = 0; i < x.nCols; i++) for (let j = 0; j < l; j++) omega.set(i, j, gaussian());
  let q = orthonormal(times(x, omega));
  for (let i = 0; i < (options.powerIters ?? 3); i++) q = orthonormal(times(x, orthonormal(timesTransposed(x, q))));
  const bt = timesTransposed(x, q); // n x l: B^T with B = Q^T X
  const eig = new EigenvalueDecomposition(bt.transpose().mmul(bt), { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((value, k) => ({ value, k })).sort((a, b) => b.value - a.value);
  const r = Math.min(rank, l);
  const singularValues: number[] = [];
  const v = new Float64Array(x.nCols * r);
  const u = eig.eigenvectorMatrix;
  for (let k = 0; k < r; k++) {
    const { value, k: col } = order[k];
    const sigma = Math.sqrt(Math.max(value, 0));
    singularValues.push(sigma);
    if (sigma < 1e-12) continue;
    // V = B^T U_B / sigma.
    for (let j = 0; j < x.nCols; j++) {
      let s = 0;
      for (let t = 0; t < l; t++) s += bt.get(j, t) * u.get(t, col);
      v[j * r + k] = s / sigma;
    }
  }
  return { v, singularValues, rank: r };
}
