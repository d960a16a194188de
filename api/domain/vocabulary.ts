/** The fixed vocabularies of the model, shared by the API's schemas and the web app. */

export const categoryIds = [
  'lighting',
  'construction',
  'digital',
  'tourism',
  'mobility',
  'energy',
  'environment',
  'other',
] as const

export const facilityKinds = [
  'lighting_pole',
  'road_segment',
  'rooftop',
  'public_space',
  'building_space',
  'network_point',
  'other',
] as const

/** Kinds of compliance document a pilot uploads (issue 19), also a facility's `requiredDocuments`. */
export const documentKinds = [
  'insurance',
  'permit',
  'safety_plan',
  'data_protection',
  'contract',
  'other',
] as const

export const connectivityKinds = ['fibre', 'ethernet', 'wifi', '4g', '5g', 'lorawan', 'nb-iot'] as const
