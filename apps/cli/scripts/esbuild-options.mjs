// esbuild options shared by the main bundle (bundle.mjs) and the vendored libraries (vendor.mjs).

/**
 * Whitespace and syntax minified: Node reads and parses less before `penguin run` sends its first
 * request (~25 ms of CPU), and the installed package is ~2 MB smaller. Identifiers are kept:
 * libraries name errors after their classes (`this.name = this.constructor.name`), and logs and
 * messages show those names. In a build from the repository the .map files beside the chunks map
 * stack traces back (`node --enable-source-maps`).
 */
export const MINIFY = {
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
}
