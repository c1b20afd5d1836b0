import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { truncatedSvd, type SparseRows } from "../../lib/taste/factorise";
import { Rng } from "../../lib/random";

/**
 * Models of a person's taste that are not a plain truncated SVD of the rating matrix, tried
 * against cosine k-NN in the methods harness (methods.ts): EASE, item-kNN smoothing, implicit
 * ALS, and concatenations. Dense row-major matrices over MovieLens 100K's 943 x 1,682 fit in
 * memory; none of this is product code.
 */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** a (r x k) times b (k x c); skips a's zeros, so a sparse a costs its non-zeros times c. */
export function multiply(a: Dense, b: Dense): Dense {
  const out = dense(a.rows, b.cols);
  const c = b.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let t = 0; t < a.cols; t++) {
      const av = a.data[i * a.cols + t];
      if (av === 0) continue;
      const bo = t * c;
      const oo = i * c;
      for (let j = 0; j < c; j++) out.data[oo + j] += av * b.data[bo + j];
    }
  }
  return out;
}

/** X^T X (cols x cols) from a sparse-ish X, one outer product of each row's non-zeros. */
export function gram(x: Dense): Dense {
  const n = x.cols;
  const g = dense(n, n);
  for (let i = 0; i < x.rows; i++) {
    const nz: number[] = [];
    for (let j = 0; j < n; j++) if (x.data[i * n + j] !== 0) nz.push(j);
    for (const a of nz) {
      const xa = x.data[i * n + a];
      for (const b of nz) g.data[a * n + b] += xa * x.data[i * n + b];
    }
  }
  return g;
}

/**
 * Inverse of a symmetric positive-definite matrix by Gauss-Jordan without pivoting (safe for
 * SPD). Hand-rolled: ml-matrix's CholeskyDecomposition.solve(I) took 63 s on the 1,682 x 1,682
 * Gram matrix, this about 12 s.
 */
function inverseSpd(a0: Dense): Dense {
  const n = a0.rows;
  const a = Float64Array.from(a0.data);
  const inv = dense(n, n);
  for (let i = 0; i < n; i++) inv.data[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = a[c * n + c];
    for (let j = 0; j < n; j++) {
      a[c * n + j] /= p;
      inv.data[c * n + j] /= p;
    }
    for (let r = 0; r < n; r++) {
      const f = a[r * n + c];
      if (r === c || f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r * n + j] -= f * a[c * n + j];
        inv.data[r * n + j] -= f * inv.data[c * n + j];
      }
    }
  }
  return inv;
}

/**
 * EASE (Steck 2019): the item-item weights B minimising ||X - XB||² + λ||B||² with a zero
 * diagonal, in closed form: P = (X^T X + λI)^-1, B_ij = -P_ij / P_jj, B_jj = 0.
 */
export function easeWeights(x: Dense, lambda: number): Dense {
  const g = gram(x);
  for (let i = 0; i < g.rows; i++) g.data[i * g.cols + i] += lambda;
  const p = inverseSpd(g);
  const n = p.rows;
  const b = dense(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) b.data[i * n + j] = -p.data[i * n + j] / p.data[j * n + j];
  return b;
}

/** The item cosine graph of X's columns, each row cut to its k strongest neighbours. */
export function itemKnnGraph(x: Dense, k: number): Dense {
  const g = gram(x);
  const n = g.rows;
  const norm = Float64Array.from({ length: n }, (_, i) => Math.sqrt(g.data[i * n + i]) || 1);
  const s = dense(n, n);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: n }, (_, j): [number, number] => [
      j,
      i === j ? 0 : g.data[i * n + j] / (norm[i] * norm[j]),
    ]);
    for (const [j, v] of row.sort((a, b) => b[1] - a[1]).slice(0, k)) s.data[i * n + j] = v;
  }
  return s;
}

/**
 * Item embeddings from the shifted positive PMI of co-occurrence (Levy & Goldberg 2014): for
 * binary X, PMI_ij = ln(c_ij D / (c_i c_j)) - ln(shift), negatives cut to 0; the embeddings are
 * the top `dims` singular vectors (the matrix is symmetric) times S^power.
 */
export function sppmiItemFactors(binary: Dense, shift: number, dims: number, power: number): Dense {
  const g = gram(binary);
  const n = g.rows;
  const count = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) count[i] += g.data[i * n + j];
  const total = count.reduce((a, b) => a + b, 0);
  const all = Int32Array.from({ length: n }, (_, j) => j);
  const rows: SparseRows = { cols: [], vals: [], nCols: n };
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const c = g.data[i * n + j];
      if (i !== j && c > 0) row[j] = Math.max(0, Math.log((c * total) / (count[i] * count[j])) - Math.log(shift));
    }
    rows.cols.push(all);
    rows.vals.push(row);
  }
  const svd = truncatedSvd(rows, dims, { seed: 1 });
  const out = dense(n, svd.rank);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < svd.rank; k++)
      out.data[j * svd.rank + k] = svd.v[j * svd.rank + k] * svd.singularValues[k] ** power;
  }
  return out;
}

/** X V_d S^power: each row's coordinates on the top `dims` right singular vectors. */
export function projectSvd(x: Dense, dims: number, power: number): Dense {
  const all = Int32Array.from({ length: x.cols }, (_, j) => j);
  const rows: SparseRows = { cols: [], vals: [], nCols: x.cols };
  for (let i = 0; i < x.rows; i++) {
    rows.cols.push(all);
    rows.vals.push(x.data.subarray(i * x.cols, (i + 1) * x.cols));
  }
  const svd = truncatedSvd(rows, dims, { seed: 1 });
  const w = dense(x.cols, svd.rank);
  for (let j = 0; j < x.cols; j++) {
    for (let k = 0; k < svd.rank; k++)
      w.data[j * svd.rank + k] = svd.v[j * svd.rank + k] * svd.singularValues[k] ** power;
  }
  return multiply(x, w);
}

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): preference 1 for every rated film,
 * confidence 1 + alpha x stars, ridge lambda; the person factors after `iterations` sweeps.
 * Each row's d x d system is solved by ml-matrix's Cholesky.
 */
export function implicitAls(x: Dense, options: { dims: number; lambda: number; alpha: number; iterations: number }) {
  const { dims: d, lambda, alpha } = options;
  const rng = new Rng(3);
  const people = dense(x.rows, d);
  const items = dense(x.cols, d);
  for (const m of [people, items]) for (let i = 0; i < m.data.length; i++) m.data[i] = (rng.next() - 0.5) * 0.1;
  const byPerson: [number, number][][] = Array.from({ length: x.rows }, () => []);
  const byItem: [number, number][][] = Array.from({ length: x.cols }, () => []);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const r = x.data[i * x.cols + j];
      if (r === 0) continue;
      byPerson[i].push([j, r]);
      byItem[j].push([i, r]);
    }
  }
  // A_i = (B^T B + B^T (C_i - I) B + λI)^-1 B^T C_i p_i, touching only row i's rated entries.
  const sweep = (a: Dense, b: Dense, rows: [number, number][][]) => {
    const btb = new Float64Array(d * d);
    for (let t = 0; t < b.rows; t++) {
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) btb[p * d + q] += b.data[t * d + p] * b.data[t * d + q];
    }
    rows.forEach((entries, i) => {
      const m = Float64Array.from(btb);
      const rhs = new Float64Array(d);
      for (let p = 0; p < d; p++) m[p * d + p] += lambda;
      for (const [t, r] of entries) {
        const c = 1 + alpha * r;
        for (let p = 0; p < d; p++) {
          const bp = b.data[t * d + p];
          rhs[p] += c * bp;
          for (let q = p; q < d; q++) m[p * d + q] += (c - 1) * bp * b.data[t * d + q];
        }
      }
      // Only the upper triangle was accumulated: mirror it so Cholesky sees an exactly symmetric matrix.
      const sym = new Matrix(d, d);
      for (let p = 0; p < d; p++) for (let q = p; q < d; q++) sym.set(p, q, m[p * d + q]).set(q, p, m[p * d + q]);
      const sol = new CholeskyDecomposition(sym).solve(Matrix.columnVector(Array.from(rhs)));
      for (let p = 0; p < d; p++) a.data[i * d + p] = sol.get(p, 0);
    });
  };
  for (let it = 0; it < options.iterations; it++) {
    sweep(people, items, byPerson);
    sweep(items, people, byItem);
  }
  return people;
}

/**
 * Rows of each part normalised, scaled by the part's weight and laid side by side: the cosine of
 * two results is the mean of the parts' cosines weighted by weight².
 */
export function concatenateUnit(parts: { x: Dense; weight: number }[]): Dense {
  const cols = parts.reduce((s, p) => s + p.x.cols, 0);
  const out = dense(parts[0].x.rows, cols);
  for (let i = 0; i < out.rows; i++) {
    let offset = 0;
    for (const { x, weight } of parts) {
      const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
      const norm = Math.hypot(...row) || 1;
      for (let j = 0; j < x.cols; j++) out.data[i * cols + offset + j] = (weight * row[j]) / norm;
      offset += x.cols;
    }
  }
  return out;
}
