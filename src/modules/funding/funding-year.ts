import type { FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { financialYearLabel, quarterOf } from '../../platform/quarters.ts';

/** Costs can be recorded from Mortar's first financial year, 2025/26, to this one. */
export const FIRST_FUNDING_YEAR = 2025;

/** The financial year asked for as `?year=2026`, this one when none is asked; 404 for any other. */
export function fundingYear(request: FastifyRequest, today: IsoDate): number {
  const current = quarterOf(today).financialYear;
  const raw = (request.query as Record<string, unknown>).year;
  if (raw === undefined || raw === '') return current;
  const year = typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= FIRST_FUNDING_YEAR && year <= current)) throw notFound('Year not found');
  return year;
}

export function yearOptions(today: IsoDate, selected: number) {
  const current = quarterOf(today).financialYear;
  const years: { value: string; text: string; selected: boolean }[] = [];
  for (let y = current; y >= FIRST_FUNDING_YEAR; y--)
    years.push({ value: String(y), text: financialYearLabel(y), selected: y === selected });
  return years;
}
