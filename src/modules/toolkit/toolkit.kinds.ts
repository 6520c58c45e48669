// The kinds of document in the national toolkit. Checked by the application, not the database, so a
// new kind needs no migration.
export const TOOLKIT_KINDS = {
  vba_script: 'Very Brief Advice script',
  local_pathway: 'Local pathway template',
  smokefree_policy: 'Smokefree policy template',
  campaign: 'Campaign template',
  local_strategy: 'Local strategy template',
} as const;

export type ToolkitKind = keyof typeof TOOLKIT_KINDS;
export const kindLabel = (kind: string) => TOOLKIT_KINDS[kind as ToolkitKind] ?? kind;

/** A document as first published by the national team (toolkit.seed.ts). */
export type SeedDocument = { slug: string; kind: ToolkitKind; title: string; body: string };
