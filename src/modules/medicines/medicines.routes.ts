import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { registerMedicineAddRoutes } from './medicine-add.routes.ts';
import { registerMedicineAlertRoutes } from './medicine-alerts.routes.ts';

/**
 * A person's medicines on their episode, the alerts raised for them, and letters to the prescriber (the
 * note to their therapist or GP is in clinician-notes; the list itself in medicines-admin.routes.ts).
 */
export function registerMedicinesRoutes(app: FastifyInstance, deps: { db: Database }) {
  registerMedicineAddRoutes(app, deps);
  registerMedicineAlertRoutes(app, deps);
}
