import { setFlagsFromString } from 'node:v8'

/**
 * Far more Wasm than a CLI process ever runs. V8's default per-function tier-up budget (roughly
 * bytes of Wasm executed) is 1.8 million in Node 20's V8 and 13 million in later ones.
 */
const OUT_OF_REACH = 2_000_000_000

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff) for the life of the process.
 *
 * Node's `fetch` (undici, under the OpenAI SDK and the server client) parses HTTP with llhttp
 * compiled to WebAssembly. Once that parser has run a little, V8 recompiles it with TurboFan on a
 * background thread, and optimising llhttp's one giant state-machine function takes about 25 MB of
 * compiler memory: a fifth of a whole `penguin run`'s peak RSS (`pnpm bench:startup`), to parse a
 * few kilobytes of server-sent events faster than the network delivers them. The baseline code is
 * what runs until then anyway; this only moves the tier-up out of reach. V8 reads the budget when
 * a Wasm module is instantiated, which undici does on first use, so this must run before any fetch.
 * A long-lived `penguin serve` keeps V8's default.
 */
export function keepWasmOnBaseline(): void {
  setFlagsFromString(`--wasm-tiering-budget=${OUT_OF_REACH}`)
}
