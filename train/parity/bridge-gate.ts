import { findBridgePython } from './python-bridge.js';

export interface BridgeGate {
  /** True only off CI when no interpreter has the packages: the pickle tests skip, saying why. */
  skip: boolean;
  python: string | undefined;
  reason: string | undefined;
}

/**
 * Decides whether tests that need the Python bridge run. With CI=true they always run, so a missing
 * bridge fails them (with the install hint) instead of skipping; elsewhere they skip with a printed reason.
 */
export async function bridgeGate(suite: string, env: NodeJS.ProcessEnv = process.env): Promise<BridgeGate> {
  try {
    return { skip: false, python: await findBridgePython(env), reason: undefined };
  } catch (err) {
    const reason = (err as Error).message;
    if (env.CI === 'true') return { skip: false, python: undefined, reason };
    console.warn(`[${suite}] SKIPPED (set CI=true to make this a failure): ${reason}`);
    return { skip: true, python: undefined, reason };
  }
}

/** In a test that needs the bridge: the interpreter, or a failure carrying the reason (reached only with CI=true). */
export function requirePython(gate: BridgeGate): string {
  if (!gate.python) throw new Error(`CI=true and the Python bridge cannot run: ${gate.reason}`);
  return gate.python;
}
