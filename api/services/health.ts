// Reads a route needs as they are, answered by the queries themselves.
export { pingDatabase } from '../queries/health.ts'
