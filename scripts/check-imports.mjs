// Makes the architecture binding: each package may import only what its package.json lists, the
// core and the web app import no node: module, and @trieste packages import only in the allowed directions
// (ARCHITECTURE.md): web -> core; cli, server -> core, adapters; adapters -> core; core -> nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ALLOWED = {
  '@trieste/core': [],
  '@trieste/adapters': ['@trieste/core'],
  '@trieste/cli': ['@trieste/core', '@trieste/adapters'],
  '@trieste/server': ['@trieste/core', '@trieste/adapters'],
  '@trieste/web': ['@trieste/core'],
};
const root = JSON.parse(readFileSync('package.json', 'utf8'));
const rootDev = Object.keys(root.devDependencies ?? {});
const problems = [];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield path;
  }
}

function packageOf(specifier) {
  if (specifier.startsWith('@')) return specifier.split('/').slice(0, 2).join('/');
  return specifier.split('/')[0];
}

for (const dir of root.workspaces) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const deps = Object.keys(manifest.dependencies ?? {});
  const dev = [...Object.keys(manifest.devDependencies ?? {}), ...rootDev];
  const isCore = manifest.name === '@trieste/core';
  // The web app runs in the browser: no Node built-ins outside its tests.
  const isBrowser = manifest.name === '@trieste/web';
  for (const file of files(join(dir, 'src'))) {
    const isTest = /\.test(-util)?\.tsx?$/.test(file) || file.includes('.contract.');
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const spec = match[1] ?? match[2];
      if (spec.startsWith('.')) continue;
      const where = relative('.', file);
      if (spec.startsWith('node:')) {
        if (isCore && !isTest) problems.push(`${where}: the core does no I/O and must not import ${spec}`);
        if (isBrowser && !isTest)
          problems.push(`${where}: the web app runs in the browser and must not import ${spec}`);
        continue;
      }
      const pkg = packageOf(spec);
      if (pkg.startsWith('@trieste/')) {
        if (!ALLOWED[manifest.name]?.includes(pkg) && !(isTest && pkg === manifest.name)) {
          problems.push(`${where}: ${manifest.name} may not import ${pkg}`);
        }
        continue;
      }
      if (!deps.includes(pkg) && !(isTest && dev.includes(pkg))) {
        problems.push(`${where}: imports ${pkg}, which ${dir}/package.json does not list`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('imports: every package imports only what its layer allows');
