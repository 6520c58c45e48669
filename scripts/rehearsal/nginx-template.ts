// Filling deploy/nginx.conf.template: pure, so test/nginx-template.test.ts checks it and the template's
// own list of placeholders without starting anything.

export class TemplateError extends Error {}

/** The template with every {{NAME}} replaced; a name without a value, or a value never used, is an error. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  // Comments keep their placeholders: they explain them.
  const fill = (line: string) =>
    line.trimStart().startsWith('#')
      ? line
      : line.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
          const v = values[name];
          if (v === undefined)
            throw new TemplateError(`deploy/nginx.conf.template: no value for {{${name}}}`);
          used.add(name);
          return v;
        });
  const filled = template.split('\n').map(fill).join('\n');
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length)
    throw new TemplateError(`deploy/nginx.conf.template has no {{${unused.join('}}, {{')}}}`);
  return filled;
}

/** The example values the template's opening comment gives for a real server, by placeholder. */
export function documentedExamples(template: string): Record<string, string> {
  const out: Record<string, string> = {};
  // "#   {{NAME}}  value  what it is": the value ends where two spaces or more begin.
  for (const m of template.matchAll(/^#\s+\{\{([A-Z_]+)\}\}\s+(.+)$/gm))
    out[m[1]!] = m[2]!.split(/\s{2,}/)[0]!;
  return out;
}
