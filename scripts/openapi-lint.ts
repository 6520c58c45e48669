// Lints the API's description with Redocly's recommended-strict rules (redocly.yaml), where a warning
// counts as a problem: writes the generated document to a temporary file and runs the pinned Redocly
// CLI on it, offline (no telemetry, no update check). Run by `npm run lint`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi } from '../src/openapi.ts';

// The address and day only fill in `servers` and the schemas' shapes; any will do.
const document = buildOpenApi('https://mortar.nhs.uk', '2026-01-01');
const dir = mkdtempSync(join(tmpdir(), 'mortar-openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(document, null, 2));
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const run = spawnSync(
  process.execPath,
  [cli, 'lint', file, '--config', join(import.meta.dirname, '..', 'redocly.yaml'), '--max-problems', '1000'],
  {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
