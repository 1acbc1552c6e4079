import { describe, expect, test } from 'vitest'
import { meanPassAtK, passAtK } from '../src/index.js'

describe('pass@k, unbiased estimator', () => {
  test('matches hand-computed values', () => {
    // 1 − C(n−c, k) / C(n, k)
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12) // 1 − 3/5
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12) // 1 − C(3,2)/C(5,2) = 1 − 3/10
    expect(passAtK(4, 1, 3)).toBeCloseTo(0.75, 12) // 1 − C(3,3)/C(4,3) = 1 − 1/4
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12) // C(7,5) = 21, C(10,5) = 252
    expect(passAtK(20, 1, 10)).toBeCloseTo(0.5, 12) // 1 − C(19,10)/C(20,10) = 1 − 10/20
    expect(passAtK(200, 10, 100)).toBeCloseTo(1 - 0.000771026062717, 10) // via math.comb
  })

  test('edges: nothing passes, everything passes, too few failures to fill k', () => {
    expect(passAtK(10, 0, 1)).toBe(0)
    expect(passAtK(10, 0, 10)).toBe(0)
    expect(passAtK(3, 3, 1)).toBe(1)
    expect(passAtK(5, 4, 2)).toBe(1) // only one failure: any 2 samples include a pass
    expect(passAtK(1, 1, 1)).toBe(1)
    expect(passAtK(1, 0, 1)).toBe(0)
  })

  test('pass@1 is the pass rate', () => {
    for (const [n, c] of [
      [10, 7],
      [3, 1],
      [100, 42],
    ] as const)
      expect(passAtK(n, c, 1)).toBeCloseTo(c / n, 12)
  })

  test('rejects impossible inputs', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError)
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError)
    expect(() => passAtK(3, 1, 0)).toThrow(RangeError)
    expect(() => passAtK(2.5, 1, 1)).toThrow(RangeError)
  })

  test('the mean over problems leaves out problems with fewer than k samples', () => {
    expect(
      meanPassAtK(
        [
          { n: 2, c: 1 },
          { n: 2, c: 0 },
        ],
        1,
      ),
    ).toBeCloseTo(0.25, 12)
    expect(
      meanPassAtK(
        [
          { n: 5, c: 2 },
          { n: 1, c: 1 },
        ],
        2,
      ),
    ).toBeCloseTo(0.7, 12)
    expect(meanPassAtK([{ n: 1, c: 1 }], 2)).toBeUndefined()
  })
})
