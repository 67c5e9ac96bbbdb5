import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parsePersona } from './parse.js';
import type { Persona, PersonaLoadError } from './schema.js';

/**
 * Personas are data: every `*.md` file in the directories is one persona. A broken file is
 * reported (file and field) and skipped; the others stay available. Files added or changed
 * while Muse runs show up on the next look (checked at most once per `recheckMs`).
 */
export class PersonaRegistry {
  private personas = new Map<string, Persona>();
  private errors: PersonaLoadError[] = [];
  private signature = '';
  private checkedAt = -Infinity;

  constructor(
    private readonly dirs: string[],
    private readonly options: { recheckMs?: number; onError?: (error: PersonaLoadError) => void } = {},
  ) {
    this.refresh(true);
  }

  /** Where new persona files go (imports): the first directory. */
  get directory(): string | undefined {
    return this.dirs[0];
  }

  /** Reads the files again now (after Muse wrote one), instead of on the next timed look. */
  reload(): void {
    this.refresh(true);
  }

  list(): Persona[] {
    this.refresh();
    return [...this.personas.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): Persona | undefined {
    this.refresh();
    return this.personas.get(name.trim().toLowerCase());
  }

  loadErrors(): PersonaLoadError[] {
    this.refresh();
    return this.errors;
  }

  /** The load error for a persona name whose file is broken, if any. */
  errorFor(name: string): PersonaLoadError | undefined {
    const wanted = name.trim().toLowerCase();
    return this.loadErrors().find((e) => basename(e.file, '.md').toLowerCase() === wanted);
  }

  private files(): Array<{ path: string; mtimeMs: number }> {
    const out: Array<{ path: string; mtimeMs: number }> = [];
    for (const dir of this.dirs) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
        const path = join(dir, name);
        try {
          const st = statSync(path);
          if (st.isFile()) out.push({ path, mtimeMs: st.mtimeMs });
        } catch {
          /* vanished between readdir and stat */
        }
      }
    }
    return out;
  }

  private refresh(force = false): void {
    const now = performance.now();
    if (!force && now - this.checkedAt < (this.options.recheckMs ?? 1000)) return;
    this.checkedAt = now;
    const files = this.files();
    const signature = files.map((f) => `${f.path}@${f.mtimeMs}`).join('|');
    if (!force && signature === this.signature) return;
    this.signature = signature;
    const personas = new Map<string, Persona>();
    const errors: PersonaLoadError[] = [];
    for (const { path } of files) {
      const file = relative(process.cwd(), path) || path;
      try {
        const persona = parsePersona(file, readFileSync(path, 'utf8'));
        const clash = personas.get(persona.name);
        if (clash) throw new Error(`name: '${persona.name}' is already used by ${basename(clash.file ?? persona.name)}`);
        personas.set(persona.name, persona);
      } catch (err) {
        const cause = (err as Error).cause;
        const error: PersonaLoadError = { file, message: (err as Error).message };
        if (cause instanceof Error) error.detail = cause.message;
        errors.push(error);
        this.options.onError?.(error);
      }
    }
    this.personas = personas;
    this.errors = errors;
  }
}
