import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The low-bandwidth bar: the wallet's initial JavaScript, gzipped, at most 250 KB. */
export const WALLET_BUDGET_BYTES = 250 * 1000;

interface Chunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

/**
 * Prints the gzipped size of every JavaScript chunk and the wallet's initial JavaScript: the entry
 * chunk and everything it imports statically (what a browser must fetch before /wallet runs; the
 * consoles are loaded on demand and do not count). The build fails above the budget.
 */
export function walletBudget(budget = WALLET_BUDGET_BYTES): Plugin {
  return {
    name: 'trieste-wallet-budget',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, Chunk>();
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') chunks.set(output.fileName, output as unknown as Chunk);
      }
      const gz = new Map(
        [...chunks].map(([name, chunk]) => [name, gzipSync(chunk.code, { level: 9 }).length]),
      );
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
      };
      // index.html's module script is the only entry; the consoles are dynamic imports of it.
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
      const lines = [...chunks.keys()]
        .sort()
        .map(
          (name) =>
            `  ${initial.has(name) ? '*' : ' '} ${name.padEnd(48)} ${kb(chunks.get(name)!.code.length).padStart(10)} ${kb(gz.get(name)!).padStart(10)} gz`,
        );
      const total = [...initial].reduce((sum, name) => sum + (gz.get(name) ?? 0), 0);
      const report = [
        'JavaScript chunks (* = loaded by /wallet before it runs):',
        ...lines,
        `wallet initial JavaScript: ${kb(total)} gzipped (budget ${kb(budget)})`,
      ].join('\n');
      // On stdout, so `npm run build` shows it whatever Vite's log level.
      process.stdout.write(`\n${report}\n`);
      if (total > budget) {
        this.error(
          `the wallet's initial JavaScript is ${kb(total)} gzipped, over the budget of ${kb(budget)}`,
        );
      }
    },
  };
}
