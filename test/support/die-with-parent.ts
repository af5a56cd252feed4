/**
 * Preloaded into the mall processes the tests start (`node --import …`): the test holds the other end of
 * this process's stdin, so when the test's worker goes away (a timed-out storm, a killed vitest) the pipe
 * closes and this process goes too, instead of running on as an orphan that slows every later test.
 */
process.stdin.on('end', () => process.exit(1));
process.stdin.on('error', () => process.exit(1));
process.stdin.resume();
