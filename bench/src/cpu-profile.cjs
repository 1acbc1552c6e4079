// Preloaded (`node --require`) into the processes bench:scale starts when BENCH_SCALE_PROFILE is
// set (Node 20 refuses --cpu-prof in NODE_OPTIONS): profiles the whole process with the inspector
// and writes a .cpuprofile (Chrome DevTools, speedscope) into PENGUIN_BENCH_PROFILE_DIR at exit.
const { Session } = require('node:inspector')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')

const dir = process.env.PENGUIN_BENCH_PROFILE_DIR
if (dir) {
  // Children of this process (git, …) are not profiled.
  delete process.env.PENGUIN_BENCH_PROFILE_DIR
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 200 })
  session.post('Profiler.start')
  process.on('exit', () => {
    // The main thread's session answers synchronously: the profile is written before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}
