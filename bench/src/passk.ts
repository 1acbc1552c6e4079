/**
 * pass@k with the unbiased estimator of Chen et al. (2021): with n samples of which c pass,
 * pass@k = 1 − C(n−c, k) / C(n, k), computed as a product to stay exact for large n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 0 || c < 0 || k < 1) {
    throw new RangeError(`pass@k needs whole numbers n ≥ 0, c ≥ 0, k ≥ 1 (got n=${n}, c=${c}, k=${k})`)
  }
  if (c > n) throw new RangeError(`pass@k: c (${c}) cannot exceed n (${n})`)
  if (k > n) throw new RangeError(`pass@k: k (${k}) cannot exceed the number of samples n (${n})`)
  if (n - c < k) return 1
  let fail = 1
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i
  return 1 - fail
}

/** The mean of pass@k over problems; problems with fewer than k samples are left out. */
export function meanPassAtK(counts: ReadonlyArray<{ n: number; c: number }>, k: number): number | undefined {
  const eligible = counts.filter((count) => count.n >= k)
  if (eligible.length === 0) return undefined
  return eligible.reduce((sum, count) => sum + passAtK(count.n, count.c, k), 0) / eligible.length
}

/** The k values worth reporting for a run with `samples` samples per problem. */
export function reportedKs(samples: number): number[] {
  return [1, 10, 100].filter((k) => k <= samples)
}
