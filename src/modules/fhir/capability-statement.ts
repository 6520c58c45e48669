// The CapabilityStatement at /fhir/metadata, made from the interactions the FHIR routes declare as they
// register (fhir-http.plugin.ts), so it cannot describe a route that is not served or miss one that is. Pure.
import { FHIR_VERSION, FHIR_JSON, profileOf, type Resource } from './fhir-resources.ts';

export type SearchParamType = 'token' | 'date' | 'reference' | 'string' | 'number';

export type RouteInteraction = {
  /** A resource type, or 'system' for interactions on the base (a transaction). */
  type: string;
  interaction:
    'read' | 'vread' | 'search-type' | 'history-instance' | 'create' | 'update' | 'patch' | 'transaction';
  searchParams?: Record<string, SearchParamType>;
  documentation?: string;
};

export function capabilityStatement(
  declared: readonly RouteInteraction[],
  opts: { base: string; tokenUrl: string; date: string; software: string },
): Resource {
  const types = [...new Set(declared.filter((d) => d.type !== 'system').map((d) => d.type))].sort();
  const system = declared.filter((d) => d.type === 'system');
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: opts.date,
    publisher: 'Mortar',
    kind: 'instance',
    software: { name: opts.software },
    implementation: { description: 'Mortar FHIR R4 API (UK Core)', url: opts.base },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' },
              ],
              text: `An organisation's API key as a Bearer token, or an OAuth 2.0 client credentials token from ${opts.tokenUrl}`,
            },
          ],
          description: `Send an API key, or a token from ${opts.tokenUrl} (client id: the key's id; secret: the key), as Authorization: Bearer. Searches are strict: an unknown parameter is refused.`,
        },
        resource: types.map((type) => {
          const mine = declared.filter((d) => d.type === type);
          const params = Object.assign({}, ...mine.map((d) => d.searchParams ?? {})) as Record<
            string,
            SearchParamType
          >;
          return {
            type,
            profile: profileOf(type),
            interaction: mine.map((d) => ({
              code: d.interaction,
              ...(d.documentation ? { documentation: d.documentation } : {}),
            })),
            ...(mine.some((d) => d.interaction === 'vread' || d.interaction === 'history-instance')
              ? { versioning: 'versioned' }
              : {}),
            ...(Object.keys(params).length
              ? {
                  searchParam: Object.entries(params)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, type]) => ({ name, type })),
                }
              : {}),
          };
        }),
        ...(system.length
          ? {
              interaction: system.map((d) => ({
                code: d.interaction,
                ...(d.documentation ? { documentation: d.documentation } : {}),
              })),
            }
          : {}),
      },
    ],
  };
}
