/** The kinds of organisation Mortar knows: who refers, who treats, who commissions. */
export const ORGANISATION_TYPES = {
  stop_smoking_service: 'Stop smoking service',
  talking_therapies: 'NHS Talking Therapies',
  gp_practice: 'GP practice',
  community_mental_health_team: 'Community mental health team',
  pharmacy: 'Pharmacy',
  foodbank: 'Foodbank',
  housing: 'Housing service',
  homelessness: 'Homelessness service',
  addiction_support: 'Addiction support',
  family_income_support: 'Family and income support',
  community_other: 'Other community organisation',
  local_authority: 'Local authority public health team',
  national_body: 'National body',
} as const;
export type OrganisationType = keyof typeof ORGANISATION_TYPES;
