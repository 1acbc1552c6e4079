/**
 * The deployment files, checked without a container engine (none exists on the build machines):
 * the Kubernetes base rendered offline with `kubectl kustomize` and checked for the fields that
 * decide whether it runs; the Dockerfile through the Docker language server's validator and its
 * instructions; compose.yaml parsed. The command and environment they give the container are then
 * run against the real `penguin` of this checkout, so a renamed flag or variable fails here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DockerfileParser } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { only, REPO, renderKustomize, serveLikeTheContainer } from './deploy-helpers.js'

const TOKEN = 'a-deployment-token-0123456789'

describe('deploy/kubernetes (kustomize base)', () => {
  const objects = renderKustomize(join(REPO, 'deploy', 'kubernetes'))
  const deployment = only(objects, 'Deployment')
  const service = only(objects, 'Service')
  const claim = only(objects, 'PersistentVolumeClaim')
  const secret = only(objects, 'Secret')
  const pod = deployment.spec.template.spec
  const container = pod.containers[0]

  test('one pod at a time on a ReadWriteOnce volume (SQLite has one writer)', () => {
    expect(deployment.spec.replicas).toBe(1)
    expect(deployment.spec.strategy.type).toBe('Recreate')
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce'])
    expect(claim.spec.resources.requests.storage).toMatch(/^\d+[GM]i$/)
    const data = pod.volumes.find((volume: { name: string }) => volume.name === 'data')
    expect(data.persistentVolumeClaim.claimName).toBe(claim.metadata.name)
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' })
    expect(container.env).toContainEqual({ name: 'PENGUIN_HOME', value: '/data' })
  })

  test('serve on every interface, with the token from the Secret', () => {
    expect(pod.containers).toHaveLength(1)
    expect(container.image).toMatch(/^penguin(:|$)/)
    expect(container.args.slice(0, 3)).toEqual(['serve', '--host', '0.0.0.0'])
    expect(container.args).not.toContain('--no-auth')
    const token = container.env.find((env: { name: string }) => env.name === 'PENGUIN_SERVE_TOKEN')
    expect(token.valueFrom.secretKeyRef.name).toBe(secret.metadata.name)
    expect(token.valueFrom.secretKeyRef.optional).not.toBe(true)
    expect(Object.keys(secret.data ?? {})).toContain(token.valueFrom.secretKeyRef.key)
  })

  // bubblewrap needs user namespaces, which RuntimeDefault seccomp and most pod security forbid:
  // the base must start anywhere, so the pod is the boundary unless an overlay opts in.
  test('starts where user namespaces are blocked: the OS sandbox is off in the base', () => {
    expect(container.env).toContainEqual({ name: 'PENGUIN_SANDBOX', value: 'off' })
  })

  test('probes on /healthz at the serving port; the Service selects the pod and targets it', () => {
    const port = container.ports.find((p: { name: string }) => p.name === 'http')
    expect(port.containerPort).toBe(Number(container.args[container.args.indexOf('--port') + 1]))
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(container[probe].httpGet, probe).toEqual({ path: '/healthz', port: 'http' })
    }
    expect(service.spec.ports[0].targetPort).toBe('http')
    const labels = deployment.spec.template.metadata.labels
    for (const [key, value] of Object.entries(service.spec.selector)) expect(labels[key]).toBe(value)
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector)
  })

  test('runs as a non-root user that cannot escalate', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true)
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0)
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false)
    expect(container.securityContext.capabilities.drop).toEqual(['ALL'])
  })

  test("the base's placeholder token is refused by the server: nothing starts until it is replaced", async () => {
    const placeholder = Buffer.from(secret.data!.token!, 'base64').toString('utf8')
    const result = await serveLikeTheContainer(container.args, { PENGUIN_SERVE_TOKEN: placeholder }, {})
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/PENGUIN_SERVE_TOKEN\) must be at least 16 characters with no spaces/)
  })

  test("the container's command and environment serve the API with the Secret's token", async () => {
    const probe = container.livenessProbe.httpGet.path
    // The container's plain environment (not the Secret's): the public host names among it.
    const plain = Object.fromEntries(
      (container.env as { name: string; value?: string }[])
        .filter((env) => env.value !== undefined && env.name !== 'PENGUIN_HOME')
        .map((env) => [env.name, env.value!]),
    )
    const auth = { authorization: `Bearer ${TOKEN}` }
    const result = await serveLikeTheContainer(
      container.args,
      { ...plain, PENGUIN_SERVE_TOKEN: TOKEN },
      {
        // Kubelet probes send the pod's IP as Host: the probe path answers any.
        probe: { path: probe, headers: { host: '10.244.0.17:8787' } },
        anonymous: { path: '/api/v1/sessions' },
        authorized: { path: '/api/v1/sessions', headers: auth },
        // In-cluster clients by the Service's name; a name the server was not given is refused.
        service: { path: '/api/v1/sessions', headers: { ...auth, host: `${service.metadata.name}:80` } },
        rebound: { path: '/api/v1/sessions', headers: { ...auth, host: 'rebound.example.com' } },
      },
    )
    expect(result.checks).toEqual({ probe: 200, anonymous: 401, authorized: 200, service: 200, rebound: 403 })
    expect(result.code, result.stderr).toBe(0)
  })
})

describe('Dockerfile', () => {
  const text = readFileSync(join(REPO, 'Dockerfile'), 'utf8')
  const dockerfile = DockerfileParser.parse(text)
  const instructions = dockerfile.getInstructions()
  const stages = dockerfile.getFROMs()
  const args = (keyword: string) =>
    instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '')
  const runtimeStart = stages.at(-1)!.getRange().start.line
  const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart)
  const inRuntime = (keyword: string) =>
    runtime.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '')

  test('passes the Docker language server validator with no problems', () => {
    expect(validate(text, {}).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([])
  })

  test('multi-stage on Node 20 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    const base = dockerfile
      .getARGs()
      .find((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE')
      ?.getProperty()
      ?.getValue()
    expect(base).toBe('node:20-slim')
    // Every stage starts from that one image argument.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a template
    for (const stage of stages) expect(stage.getImage()).toBe('${NODE_IMAGE}')
    // The final stage copies the installed package from another stage, not the sources.
    const copies = runtime.filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent())
    expect(copies).toEqual([expect.stringMatching(/^COPY --from=install /)])
  })

  test('runtime: bubblewrap installed, a non-root user, the database in a volume', () => {
    expect(inRuntime('RUN').join('\n')).toMatch(/apt-get install[^&]*\bbubblewrap\b/)
    const user = inRuntime('USER').at(-1)
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^(root|0)(:|$)/)
    expect(inRuntime('RUN').join('\n')).toMatch(/useradd [^&]*--uid 10001/)
    expect(args('VOLUME').join(' ')).toContain('/data')
    expect(inRuntime('ENV').join('\n')).toMatch(/PENGUIN_HOME=\/data/)
  })

  test('serves on 0.0.0.0 with auth, probed on /healthz; the same command runs with a token', async () => {
    const cmd = JSON.parse(inRuntime('CMD').at(-1)!) as string[]
    const entrypoint = JSON.parse(inRuntime('ENTRYPOINT').at(-1)!) as string[]
    expect(entrypoint.at(-1)).toBe('penguin')
    expect(cmd.slice(0, 3)).toEqual(['serve', '--host', '0.0.0.0'])
    expect(cmd).not.toContain('--no-auth')
    expect(inRuntime('EXPOSE')).toEqual([cmd[cmd.indexOf('--port') + 1]])
    expect(inRuntime('HEALTHCHECK').join('\n')).toContain('/healthz')
    const result = await serveLikeTheContainer(
      cmd,
      { PENGUIN_SERVE_TOKEN: TOKEN },
      {
        health: { path: '/healthz' },
        api: { path: '/api/v1/sessions', headers: { authorization: `Bearer ${TOKEN}` } },
      },
    )
    expect(result.checks).toEqual({ health: 200, api: 200 })
    expect(result.code, result.stderr).toBe(0)
  })
})

describe('compose.yaml', () => {
  const compose = parse(readFileSync(join(REPO, 'compose.yaml'), 'utf8'))
  const server = compose.services.server

  test('builds this Dockerfile and refuses to start without a token', () => {
    expect(server.build).toBe('.')
    expect(server.environment.PENGUIN_SERVE_TOKEN).toMatch(/^\$\{PENGUIN_SERVE_TOKEN:\?.+\}$/)
  })

  test('other services reach it by its service name; the probe answers any Host', async () => {
    const dockerfile = DockerfileParser.parse(readFileSync(join(REPO, 'Dockerfile'), 'utf8'))
    const cmd = JSON.parse(
      dockerfile
        .getInstructions()
        .filter((i) => i.getKeyword() === 'CMD')
        .at(-1)!
        .getArgumentsContent()!,
    ) as string[]
    // Compose's `${VAR:-default}` with VAR unset.
    const publicHost = /^\$\{PENGUIN_PUBLIC_HOST:-(.+)\}$/.exec(server.environment.PENGUIN_PUBLIC_HOST)?.[1]
    expect(publicHost).toBe('server')
    // Docker's default seccomp profile blocks bubblewrap: off unless the user opts in.
    const sandbox = /^\$\{PENGUIN_SANDBOX:-(.+)\}$/.exec(server.environment.PENGUIN_SANDBOX)?.[1]
    expect(sandbox).toBe('off')
    const auth = { authorization: `Bearer ${TOKEN}` }
    const result = await serveLikeTheContainer(
      cmd,
      { PENGUIN_SERVE_TOKEN: TOKEN, PENGUIN_PUBLIC_HOST: publicHost!, PENGUIN_SANDBOX: sandbox! },
      {
        health: { path: '/healthz', headers: { host: '172.18.0.2:8787' } },
        published: { path: '/api/v1/sessions', headers: { ...auth, host: 'localhost:8787' } },
        service: { path: '/api/v1/sessions', headers: { ...auth, host: 'server:8787' } },
        rebound: { path: '/api/v1/sessions', headers: { ...auth, host: 'rebound.example.com' } },
      },
    )
    expect(result.checks).toEqual({ health: 200, published: 200, service: 200, rebound: 403 })
    expect(result.code, result.stderr).toBe(0)
  })

  test('keeps the database in a named volume, publishes the port on loopback, checks /healthz', () => {
    const data = (server.volumes as string[]).find((volume) => volume.endsWith(':/data'))
    const name = data?.split(':')[0]
    expect(name).toBeDefined()
    expect(Object.keys(compose.volumes)).toContain(name)
    expect(server.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:.+:8787$/)])
    expect(server.healthcheck.test.join(' ')).toContain('/healthz')
  })
})
