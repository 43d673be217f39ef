import { getLocation, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { PayloadError } from './errors.js';

/**
 * Decodes a message as it arrives on the wire (bytes or text) into a JSON value. On failure it names the
 * field where the text stops being JSON: `NaN` at feeder.current, a payload truncated inside transformer3.
 * JSON.parse does the decoding; jsonc-parser (strict mode: no comments, no trailing commas) only locates errors.
 */
export function decodeJsonMessage(raw: string | Uint8Array, what = 'telemetry payload'): unknown {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PayloadError([locateJsonError(text)], { cause, what });
  }
}

function locateJsonError(text: string): { field: string; message: string } {
  if (text.trim() === '') return { field: '$', message: 'payload is empty, expected a JSON object' };
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses per nesting level: 100,000 open brackets overflow the stack. Still a bad payload, not a crash.
    return { field: '$', message: 'payload is not valid JSON (nested too deeply to locate the error)' };
  }
  const first = errors[0];
  if (!first) return { field: '$', message: 'payload is not valid JSON' };
  const path = getLocation(text, first.offset).path;
  const field = path.length === 0 ? '$' : path.map(String).filter((p) => p !== '').join('.') || '$';
  const whole = text.slice(first.offset, first.offset + first.length);
  const token = whole.slice(0, 20);
  const code = printParseErrorCode(first.error);
  // Truncated: the text ends where a value was still expected, or inside a string or number, or in a cut
  // literal (`tru`, `-`). A bad token that merely happens to be last (`xyz`, `NaN`, `{"a":1}x`) is not.
  const endsThere = first.offset + first.length >= text.trimEnd().length;
  const truncated =
    first.offset >= text.trimEnd().length ||
    code === 'UnexpectedEndOfString' ||
    (endsThere && (code === 'UnexpectedEndOfNumber' || /^(?:-|t(?:ru?)?|f(?:a(?:ls?)?)?|n(?:ul?)?)$/.test(whole)));
  const why = truncated
    ? `payload is not valid JSON: truncated after ${text.length} bytes`
    : `payload is not valid JSON: ${token ? `unexpected ${JSON.stringify(token)}` : code} at offset ${first.offset}` +
      (/^-?(NaN|Infinity)$/.test(token) || token === '-' ? ' (JSON has no NaN or Infinity; send a finite number)' : '');
  return { field, message: why };
}
