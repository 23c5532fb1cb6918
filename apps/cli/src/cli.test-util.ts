import { runCli } from './program.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the `trieste` command in-process with `env`, capturing what it prints and its exit status. */
export function cli(env: NodeJS.ProcessEnv) {
  return async (args: string[], stdin = ''): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(args, {
      env,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      readStdin: () => stdin,
    });
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  };
}
