// Runs the fake Prolific API until interrupted:
//   node out/test/fake-prolific/cli.js [--port N] [--token T] [--host H] [--no-conversations]
// The first two stdout lines are the base URL and the token; UI tests read them from there.
import { parseArgs } from 'node:util';
import { startFakeProlific } from './server';

const usage = 'Usage: node out/test/fake-prolific/cli.js [--port N] [--token T] [--host H] [--no-conversations]';

async function main(): Promise<void> {
  let values: { port?: string; token?: string; host?: string; 'no-conversations'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        token: { type: 'string' },
        host: { type: 'string' },
        // As a workspace without conversations and broadcasts: they answer 404.
        'no-conversations': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got "${values.port}"\n${usage}`);
    process.exit(2);
  }
  if (values.token === '') {
    console.error(`--token must not be empty\n${usage}`);
    process.exit(2);
  }

  const fake = await startFakeProlific({
    port,
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    conversations: !values['no-conversations'],
  });
  console.log(`Fake Prolific API: ${fake.url}`);
  console.log(`Token: ${fake.token}`);

  const stop = (signal: string): void => {
    console.error(`[fake-prolific] ${signal}: stopping`);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Most likely the port is taken (EADDRINUSE).
  console.error(`[fake-prolific] failed to start: ${(error as Error).message}`);
  process.exit(1);
});
