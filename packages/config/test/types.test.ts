import { describe, expectTypeOf, test } from 'vitest'
import type { Config } from '../src/index.js'

describe('Config type', () => {
  test('derives each key from its schema', () => {
    expectTypeOf<Config['model']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<Config['trust']>().toEqualTypeOf<Record<string, boolean> | undefined>()
    expectTypeOf<NonNullable<Config['budget']>['maxTokens']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<NonNullable<Config['permissions']>[number]['action']>().toEqualTypeOf<
      'allow' | 'ask' | 'deny'
    >()
  })
})
