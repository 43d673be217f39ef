import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAlertRules, type AlertRuleOptions } from './alert-rules.js';

/** This folder: provisioning/ (Grafana's provisioning tree) and dashboards/. */
export const GRAFANA_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ALERT_RULES_FILE = join('provisioning', 'alerting', 'gridsentry.yaml');

/**
 * Writes a complete Grafana folder for one deployment to `outDir`: `provisioning/` (data source, dashboard
 * provider, alert rules for this voltage threshold) and `dashboards/`. Copy `provisioning/` over Grafana's
 * provisioning directory and `dashboards/` to /var/lib/grafana/dashboards/gridsentry.
 */
export function writeGrafanaProvisioning(outDir: string, options: AlertRuleOptions): void {
  mkdirSync(outDir, { recursive: true });
  cpSync(join(GRAFANA_DIR, 'provisioning'), join(outDir, 'provisioning'), { recursive: true });
  cpSync(join(GRAFANA_DIR, 'dashboards'), join(outDir, 'dashboards'), { recursive: true });
  writeFileSync(join(outDir, ALERT_RULES_FILE), renderAlertRules(options));
}
