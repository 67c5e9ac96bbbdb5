// The dependency rules, run by `npm run lint`: dependency-cruiser with .dependency-cruiser.cjs
// (cycles of files, the engine and adapters naming no feature, platform and model libraries only
// in their folders...), then one check the module rules cannot express: no cycle between the
// top-level folders of src/ (and commands/), even when no single file is part of a cycle.
//
//   tsx scripts/check-deps.ts [root]    exits 1 and prints every problem when there is one
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, format } from 'dependency-cruiser';
import type { ICruiseResult, IModule } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** The folders cruised; the rules themselves say which of them they cover. */
const CRUISED = ['src', 'commands', 'bench', 'scripts', 'test'];

export interface DependencyReport {
  /** dependency-cruiser's own violations: rule name, from, to (or the cycle). */
  violations: { rule: string; from: string; to: string; cycle: string[] }[];
  /** Each cycle of top-level folders, as the folders in it and one import per edge. */
  folderCycles: { folders: string[]; imports: string[] }[];
  /** What to print: empty when there is nothing wrong. */
  text: string;
}

/** `src/engine/a.ts` → `src/engine`; `src/app.ts` → itself; `commands/x.ts` → `commands`. */
export function topFolderOf(path: string): string | undefined {
  const src = /^src\/([^/]+)(\/)?/.exec(path);
  if (src) return src[2] ? `src/${src[1]}` : path;
  if (path.startsWith('commands/')) return 'commands';
  return undefined;
}

/** One example import for each edge between two top-level folders. */
function folderEdges(modules: readonly IModule[]): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const module of modules) {
    const from = topFolderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = topFolderOf(dependency.resolved);
      if (!to || to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${module.source} → ${dependency.resolved}`);
      edges.set(from, out);
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cyclesOf(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

export function folderCyclesOf(modules: readonly IModule[]): DependencyReport['folderCycles'] {
  const edges = folderEdges(modules);
  return cyclesOf(edges).map((folders) => ({
    folders,
    imports: folders.flatMap((from) => [...(edges.get(from) ?? [])].filter(([to]) => folders.includes(to)).map(([, example]) => example)),
  }));
}

/** Cruises `root` (the repository, or a copy of its configuration with other sources) with its rules. */
export async function checkDependencies(root: string): Promise<DependencyReport> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  const tsConfigFile = join(root, 'tsconfig.json');
  const roots = CRUISED.filter((folder) => existsSync(join(root, folder)));
  const cruised = await cruise(roots, { ...options, baseDir: root, tsConfig: { fileName: tsConfigFile } }, {}, { tsConfig: extractTSConfig(tsConfigFile) });
  const result = cruised.output as ICruiseResult;
  const violations = result.summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.to,
    cycle: (v.cycle ?? []).map((step) => step.name),
  }));
  const folderCycles = folderCyclesOf(result.modules);
  let text = '';
  if (violations.length > 0) {
    const { output } = await format(result, { outputType: 'err' });
    text += typeof output === 'string' ? output : JSON.stringify(output);
  }
  for (const cycle of folderCycles) {
    text += `\n  error no-folder-cycle: ${cycle.folders.join(' ⇄ ')}\n${cycle.imports.map((line) => `      ${line}\n`).join('')}`;
  }
  return { violations, folderCycles, text };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const report = await checkDependencies(resolve(process.argv[2] ?? '.'));
  if (report.text) {
    process.stdout.write(`${report.text}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('dependency rules: no violations, no folder cycles\n');
  }
}
