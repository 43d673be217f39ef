import { readFileSync } from 'node:fs';
import path from 'node:path';

export const CASES_FILE = path.resolve(import.meta.dirname, '../../../shared/cases/cases.json');

export interface FieldCase {
  id: string;
  kind: string;
  component: string;
  input: {
    raw_payload?: string;
    event?: unknown;
    invoke_response?: { StatusCode: number; FunctionError?: string; Payload_bytes: number[] };
  };
  expected: string;
}

export function fieldCases(component: string): FieldCase[] {
  return (JSON.parse(readFileSync(CASES_FILE, 'utf8')) as FieldCase[]).filter((c) => c.component === component);
}

/** The message as the handler receives it: raw text for `raw_payload`, else the parsed event. */
export function caseMessage(c: FieldCase): unknown {
  return c.input.raw_payload ?? c.input.event;
}
