/**
 * There is no container engine on the development machines or in CI, so the Dockerfile is
 * checked statically: its stages, what the final image runs as and checks, and that every
 * script, file and compiled entry point it names exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Splits a Dockerfile into instructions, joining `\` continuations and dropping comments. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const [keyword = '', ...rest] = full.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage++;
    out.push({ keyword: upper, args: rest.join(' '), stage });
  }
  return out;
}

/** JSON (exec) form or shell form of CMD/RUN arguments as one string. */
function commandText(args: string): string {
  if (args.startsWith('[')) return (JSON.parse(args) as string[]).join(' ');
  return args;
}

/** `.dockerignore` semantics enough for this repository: names, folder prefixes, `*`, `!`. */
function isIgnored(path: string, patterns: string[]): boolean {
  let ignored = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    const pattern = (negate ? p.slice(1) : p).replace(/^\.?\//, '').replace(/\/$/, '');
    const regex = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}(/.*)?$`);
    if (regex.test(path)) ignored = !negate;
  }
  return ignored;
}

const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = parseDockerfile(dockerfile);
const stageCount = instructions.filter((i) => i.keyword === 'FROM').length;
const finalStage = stageCount - 1;
const inFinal = instructions.filter((i) => i.stage === finalStage);
const ignorePatterns = readFileSync('.dockerignore', 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const buildConfig = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as {
  extends?: string;
  compilerOptions?: { outDir?: string; rootDir?: string; noEmit?: boolean };
  include?: string[];
  exclude?: string[];
};

/** The source file `npm run build` compiles into `dist/<path>.js`, or undefined if none does. */
function sourceOfCompiled(file: string): string | undefined {
  const outDir = (buildConfig.compilerOptions?.outDir ?? 'dist').replace(/\/$/, '');
  if (!file.startsWith(`${outDir}/`) || !file.endsWith('.js')) return undefined;
  const source = `${file.slice(outDir.length + 1, -'.js'.length)}.ts`;
  const under = (dirs: string[] | undefined) => (dirs ?? []).some((d) => source === d || source.startsWith(`${d.replace(/\/$/, '')}/`));
  return existsSync(source) && under(buildConfig.include) && !under(buildConfig.exclude) ? source : undefined;
}

/** A COPY's stage, sources and destination (resolved against WORKDIR). */
function copyParts(args: string, workdir: string): { from: string | undefined; sources: string[]; dest: string } {
  const parts = args.split(/\s+/);
  const from = parts.map((p) => /^--from=(\S+)$/.exec(p)?.[1]).find((f) => f !== undefined);
  const paths = parts.filter((p) => !p.startsWith('--'));
  const raw = paths.at(-1) ?? '';
  const dest = (raw.startsWith('/') ? raw : `${workdir}/${raw.replace(/^\.\//, '')}`).replace(/\/$/, '');
  return { from, sources: paths.slice(0, -1), dest };
}

function stageEnv(stage: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of instructions.filter((x) => x.stage === stage && x.keyword === 'ENV')) {
    for (const m of i.args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)) env.set(m[1] ?? '', (m[2] ?? '').replace(/^"|"$/g, ''));
  }
  return env;
}

describe('Dockerfile', () => {
  it('has a build stage and a final stage', () => {
    expect(stageCount).toBeGreaterThanOrEqual(2);
    const names = instructions.filter((i) => i.keyword === 'FROM').map((i) => /\bAS\s+(\S+)/i.exec(i.args)?.[1]);
    for (const copy of instructions.filter((i) => i.keyword === 'COPY' && i.args.includes('--from='))) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      expect(names.slice(0, copy.stage), `COPY --from=${from}`).toContain(from);
    }
  });

  it('runs the final image as a non-root user', () => {
    const users = inFinal.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
  });

  it('checks health on /healthz with node (slim images have no curl)', () => {
    const checks = inFinal.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const command = checks[0]?.args ?? '';
    expect(command).toMatch(/CMD\s+\[\s*"node"/);
    expect(command).toContain('/healthz');
  });

  it('installs only production dependencies in the final image and copies no node_modules from the build', () => {
    const runs = inFinal.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(inFinal.some((i) => i.keyword === 'COPY' && i.args.includes('node_modules'))).toBe(false);
  });

  it("skips onnxruntime-node's CUDA download in every stage that installs, whatever the npm version", () => {
    // npm 11 reads package.json's allowScripts; the npm 10 of Node 20's images reads this variable.
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(manifest.allowScripts?.['onnxruntime-node']).toBe(false);
    for (const stage of new Set(instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args)).map((i) => i.stage))) {
      const install = instructions.findIndex((i) => i.stage === stage && i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      const env = instructions.slice(0, install).filter((i) => i.stage === stage && i.keyword === 'ENV').map((i) => i.args).join(' ');
      expect(env, `stage ${stage}`).toMatch(/\bONNXRUNTIME_NODE_INSTALL=skip\b/);
    }
  });

  it('loads the model offline in the final image, from the folder the build stage downloaded it to', () => {
    const finalEnv = stageEnv(finalStage);
    const buildEnv = stageEnv(0);
    expect(finalEnv.get('NODE_ENV')).toBe('production');
    const modelsDir = finalEnv.get('MODELS_DIR');
    expect(modelsDir, 'MODELS_DIR turns remote loading off').toBeDefined();
    expect(buildEnv.get('MODEL_CACHE_DIR')).toBe(modelsDir);
    const workdir = inFinal.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
    const copied = inFinal.filter((i) => i.keyword === 'COPY').map((i) => copyParts(i.args, workdir));
    // The model folder and the index come from the build stage to where the bot looks for them.
    expect(copied).toContainEqual(expect.objectContaining({ from: 'build', sources: [modelsDir], dest: modelsDir }));
    expect(copied).toContainEqual(expect.objectContaining({ from: 'build', dest: finalEnv.get('INDEX_DIR') }));
    expect(copied).toContainEqual(expect.objectContaining({ from: 'build', dest: `${workdir}/dist` }));
  });

  it('starts the build stage from the bundled model folder, so the default model is never downloaded', () => {
    const buildStage = instructions.filter((i) => i.stage === 0);
    const workdir = buildStage.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
    const copyModels = buildStage.findIndex((i) => i.keyword === 'COPY' && copyParts(i.args, workdir).sources.includes('models'));
    const fetch = buildStage.findIndex((i) => i.keyword === 'RUN' && i.args.includes('fetch-model'));
    expect(copyModels, 'COPY models').toBeGreaterThanOrEqual(0);
    expect(copyModels, 'the bundled model is in place before fetch-model runs').toBeLessThan(fetch);
    expect(copyParts(buildStage[copyModels]?.args ?? '', workdir).dest).toBe(stageEnv(0).get('MODEL_CACHE_DIR'));
  });

  it('ships the files the running bot reads beside the code: corpus and its messages in every language', () => {
    const workdir = inFinal.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
    const copied = inFinal.filter((i) => i.keyword === 'COPY').map((i) => copyParts(i.args, workdir));
    for (const folder of ['corpus', 'locales']) {
      expect(existsSync(folder), folder).toBe(true);
      expect(copied, folder).toContainEqual(expect.objectContaining({ sources: [folder], dest: `${workdir}/${folder}` }));
    }
  });

  it('calls only npm scripts that exist in package.json', () => {
    const called = instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => [...i.args.matchAll(/npm run\s+([\w:-]+)/g)].map((m) => m[1] ?? ''));
    expect(called).toContain('build');
    for (const name of called) expect(Object.keys(scripts), `npm run ${name}`).toContain(name);
  });

  it('copies only files that exist in the repository and are not excluded by .dockerignore', () => {
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => {
        const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        return parts.slice(0, -1);
      });
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(source), `${source} exists`).toBe(true);
      expect(isIgnored(source.replace(/^\.\//, ''), ignorePatterns), `${source} is not excluded by .dockerignore`).toBe(false);
    }
  });

  it('keeps secrets and local builds out of the build context', () => {
    for (const path of ['.env', 'node_modules', 'dist', '.models', 'index', '.git']) expect(isIgnored(path, ignorePatterns), path).toBe(true);
  });

  it('runs only compiled files that `npm run build` produces', () => {
    expect(scripts.build).toBe('tsc -b tsconfig.build.json');
    expect(buildConfig.extends).toBe('./tsconfig.json');
    expect(buildConfig.compilerOptions?.noEmit).not.toBe(true);
    const commands = instructions.filter((i) => i.keyword === 'RUN' || i.keyword === 'CMD').map((i) => commandText(i.args));
    const files = commands.flatMap((c) => [...c.matchAll(/\bnode\s+(dist\/\S+\.js)/g)].map((m) => m[1] ?? ''));
    const cmd = inFinal.filter((i) => i.keyword === 'CMD').at(-1);
    expect(cmd && commandText(cmd.args)).toBe('node dist/src/app/main.js');
    expect(files).toContain('dist/src/app/main.js');
    for (const file of files) expect(sourceOfCompiled(file), `${file} is compiled from a source in tsconfig.build.json`).toBeDefined();
  });
});

describe('isIgnored (the .dockerignore reading the checks rely on)', () => {
  it.each([
    { path: 'test/x.test.ts', patterns: ['test'], ignored: true },
    { path: 'src/app/main.ts', patterns: ['test'], ignored: false },
    { path: '.env.example', patterns: ['.env.*', '!.env.example'], ignored: false },
    { path: '.env.local', patterns: ['.env.*', '!.env.example'], ignored: true },
    { path: 'app.log', patterns: ['*.log'], ignored: true },
  ])('$path with $patterns → $ignored', ({ path, patterns, ignored }) => {
    expect(isIgnored(path, patterns)).toBe(ignored);
  });
});
