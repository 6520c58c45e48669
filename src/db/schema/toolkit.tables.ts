import type { Generated } from 'kysely';
import type { Timestamp } from './columns.ts';

// The national toolkit: documents, their national versions, areas' adoptions and local versions
// (migration 0024; joined in ../schema.ts).

export interface ToolkitDocumentsTable {
  id: Generated<string>;
  slug: string;
  kind: string;
  created_at: Timestamp;
}

export interface ToolkitVersionsTable {
  id: Generated<string>;
  document_id: string;
  number: number;
  title: string;
  body: string;
  change_note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  published_by: string | null;
  published_at: Date | null;
}

export interface ToolkitAdoptionsTable {
  id: Generated<string>;
  document_id: string;
  local_authority_code: string;
  adopted_by: string | null;
  adopted_at: Timestamp;
}

export interface ToolkitLocalVersionsTable {
  id: Generated<string>;
  adoption_id: string;
  number: number;
  based_on_version_id: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: Timestamp;
}
