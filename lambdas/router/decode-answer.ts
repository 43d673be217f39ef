import { PREDICTION_LABELS } from '../../firmware/payload.js';
import { InferenceCallError } from './errors.js';
import type { InferenceAnswer } from './ports.js';

/** What Lambda's Invoke returns, as far as the router reads it. */
export interface InvokeOutput {
  StatusCode?: number;
  FunctionError?: string;
  Payload?: Uint8Array;
}

/**
 * Turns an Invoke result into an answer, or an InferenceCallError naming the function. A function error is
 * reported with StatusCode 200 (case R06a), so FunctionError is checked first. The payload is UTF-8 bytes;
 * it may be the answer itself or an API-Gateway-style `{statusCode, body}` whose body is a JSON string
 * (the original Python container answered that way, case R05a).
 */
export function decodeInvokeOutput(functionName: string, out: InvokeOutput): InferenceAnswer {
  const fail = (message: string, cause?: unknown) => new InferenceCallError(functionName, message, { cause });
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  if (out.FunctionError) {
    const detail = parseOr(text);
    const o = detail !== null && typeof detail === 'object' ? (detail as Record<string, unknown>) : {};
    throw fail(`function error (${out.FunctionError}): ${String(o.errorType ?? 'Error')}: ${String(o.errorMessage ?? text)}`);
  }
  if (out.StatusCode !== undefined && (out.StatusCode < 200 || out.StatusCode > 299)) throw fail(`invoke returned status ${out.StatusCode}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw fail(`answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, cause);
  }
  return decodeAnswer(functionName, value);
}

/** Reads an answer object: the direct form, or `{statusCode, body}` with a JSON body. */
export function decodeAnswer(functionName: string, value: unknown): InferenceAnswer {
  const fail = (message: string, cause?: unknown) => new InferenceCallError(functionName, message, { cause });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(`expected an object, found ${JSON.stringify(value)}`);
  let o = value as Record<string, unknown>;
  if ('statusCode' in o && 'body' in o) {
    const status = o.statusCode;
    if (typeof status !== 'number' || status < 200 || status > 299) throw fail(`answered status ${String(status)}: ${String(o.body)}`);
    let body: unknown = o.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch (cause) {
        throw fail('answer body is not JSON', cause);
      }
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fail('answer body is not an object');
    o = body as Record<string, unknown>;
  }
  const p = o.prediction;
  const label = Array.isArray(p) && p.length === 1 ? p[0] : undefined;
  if (typeof label !== 'string' || !(PREDICTION_LABELS as readonly string[]).includes(label)) {
    throw fail(`expected prediction to be a one-element array of ${PREDICTION_LABELS.join(', ')}, found ${JSON.stringify(p) ?? 'nothing'}`);
  }
  const answer: InferenceAnswer = { label };
  if (o.decision !== undefined) {
    if (!Array.isArray(o.decision) || !o.decision.every((d) => typeof d === 'number' && Number.isFinite(d))) {
      throw fail('decision must be an array of finite numbers');
    }
    answer.decision = o.decision as number[];
  }
  if (typeof o.model === 'string') answer.model = o.model;
  if (Array.isArray(o.outOfRange) && o.outOfRange.every((f) => typeof f === 'string')) answer.outOfRange = o.outOfRange as string[];
  return answer;
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
