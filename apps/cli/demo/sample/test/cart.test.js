import assert from 'node:assert/strict'
import { test } from 'node:test'
import { applyDiscount, cartTotal, formatPrice } from '../src/cart.js'

test('an empty cart costs nothing', () => {
  assert.equal(cartTotal([]), 0)
})

test('the total counts every unit of every item', () => {
  const items = [
    { name: 'Coffee beans', price: 1250, quantity: 2 },
    { name: 'Filter papers', price: 399, quantity: 1 },
  ]
  assert.equal(cartTotal(items), 2899)
})

test('a discount is rounded to the nearest cent', () => {
  assert.equal(applyDiscount(2899, 10), 2609)
  assert.throws(() => applyDiscount(2899, 120), RangeError)
})

test('prices are formatted as dollars', () => {
  assert.equal(formatPrice(2899), '$28.99')
  assert.equal(formatPrice(5), '$0.05')
})
