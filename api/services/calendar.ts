// Reads a route needs as they are, answered by the queries themselves.
export { calendarEvents } from '../queries/calendar.ts'
