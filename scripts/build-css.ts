/**
 * Builds the NHS design system's stylesheets from nhsuk-frontend's own Sass (src/styles/*.scss) into
 * public/generated/, which is committed: Node runs Mortar's sources with no build step.
 *
 *   npm run build:css            write the files
 *   npm run build:css -- --check exit 1 if a committed file differs from a fresh build
 *
 * test/generated-css.test.ts runs the check, so a change to nhsuk-frontend, Sass or the settings cannot
 * leave a stale stylesheet behind.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'sass';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each generated stylesheet (under public/) and the Sass it is built from. */
export const GENERATED_STYLESHEETS = {
  'generated/nhsuk.css': 'src/styles/nhsuk.scss',
  'generated/nhsuk-fonts.css': 'src/styles/nhsuk-fonts.scss',
} as const;

/** The stylesheets as they should be, by their path under public/. */
export function buildStylesheets(): Map<string, string> {
  const built = new Map<string, string>();
  for (const [out, source] of Object.entries(GENERATED_STYLESHEETS)) {
    // No @charset and no byte order mark: Mortar serves CSS as UTF-8 in its Content-Type, and a
    // leading mark would sit in front of the header comment.
    const { css } = compile(join(ROOT, source), {
      loadPaths: [join(ROOT, 'node_modules')],
      style: 'compressed',
      charset: false,
      quietDeps: true,
    });
    built.set(out, `/*! Built from ${source} by npm run build:css: do not edit. */\n${css}\n`);
  }
  return built;
}

/** The generated files whose committed text differs from a fresh build (none: all current). */
export async function staleStylesheets(built = buildStylesheets()): Promise<string[]> {
  const stale: string[] = [];
  for (const [out, css] of built) {
    const committed = await readFile(join(ROOT, 'public', out), 'utf8').catch(() => null);
    if (committed !== css) stale.push(`public/${out}`);
  }
  return stale;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleStylesheets();
    if (stale.length) {
      console.error(`Out of date (run npm run build:css): ${stale.join(', ')}`);
      process.exitCode = 1;
    }
    return;
  }
  for (const [out, css] of buildStylesheets()) {
    const path = join(ROOT, 'public', out);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, css);
    console.log(`public/${out}: ${Buffer.byteLength(css)} bytes`);
  }
}

if (import.meta.main) await main();
