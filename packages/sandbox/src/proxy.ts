/**
 * The filtering proxy behind `sandbox.network: ["domain", …]`. It listens on a Unix socket that is
 * the sandbox's only way out (the sandbox has its own, empty network namespace); inside, a small
 * forwarder makes it reachable as http://127.0.0.1:3128 and HTTP_PROXY / HTTPS_PROXY point there.
 * CONNECT tunnels (HTTPS) and plain HTTP requests go through when their host is allowed; anything
 * else gets 403 and is recorded, so the tool result can name what was blocked.
 *
 * The proxy itself (node:http, node:net) is in proxy-server.ts, loaded by the first command of a
 * sandbox with a network list: nothing before a run's first model request needs it.
 */
/** The port the forwarder listens on inside the sandbox. */
export const PROXY_PORT = 3128

/** Whether `host` is allowed: `example.com` exactly, or `*.example.com` for any of its subdomains. */
export function domainAllowed(host: string, allowed: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return allowed.some((entry) => {
    if (entry.startsWith('*.')) {
      const suffix = entry.slice(1)
      return name.endsWith(suffix) && name.length > suffix.length
    }
    return name === entry
  })
}

export interface Blocked {
  host: string
  time: number
}

/**
 * The forwarder, run with `node -e` inside the sandbox as the command's parent: it listens on
 * 127.0.0.1:PORT in the sandbox's own network namespace, relays each connection to the proxy's
 * socket, runs the command, and exits as the command does.
 */
export const FORWARDER_SCRIPT = `
const net = require('node:net'), cp = require('node:child_process');
const [port, socket, ...command] = process.argv.slice(1);
const server = net.createServer((client) => {
  const upstream = net.connect(socket);
  client.pipe(upstream); upstream.pipe(client);
  client.on('error', () => upstream.destroy()); upstream.on('error', () => client.destroy());
});
server.on('error', (error) => { process.stderr.write('penguin sandbox: the network proxy could not start: ' + error.message + '\\n'); process.exit(1); });
server.listen(Number(port), '127.0.0.1', () => {
  const child = cp.spawn(command[0], command.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => { process.stderr.write(error.message + '\\n'); process.exit(127); });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (require('node:os').constants.signals[signal] || 0)));
});
`
