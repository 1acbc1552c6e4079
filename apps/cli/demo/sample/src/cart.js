/**
 * A cart line: `price` is the unit price in cents, `quantity` how many units are bought.
 * @typedef {{ name: string, price: number, quantity: number }} CartItem
 */

/**
 * The total of a cart in cents.
 * @param {CartItem[]} items
 * @returns {number}
 */
export function cartTotal(items) {
  return items.reduce((sum, item) => sum + item.price, 0)
}

/**
 * Takes `percent` off a total, rounded to the nearest cent.
 * @param {number} total in cents
 * @param {number} percent from 0 to 100
 * @returns {number}
 */
export function applyDiscount(total, percent) {
  if (percent < 0 || percent > 100) throw new RangeError(`discount must be 0-100, got ${percent}`)
  return Math.round(total * (1 - percent / 100))
}

/**
 * Formats cents as dollars, e.g. 2899 → '$28.99'.
 * @param {number} cents
 * @returns {string}
 */
export function formatPrice(cents) {
  return `$${(cents / 100).toFixed(2)}`
}
