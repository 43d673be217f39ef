import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MEASURES, PREDICTION_SOURCE, READING_SOURCES } from '../../lambdas/storage/measures.js';
import { DEFAULT_CONFIG } from '../lib/config.js';
import { DATASOURCE_UID, alertRules, renderAlertRules } from './alert-rules.js';
import { ALERT_RULES_FILE, GRAFANA_DIR, writeGrafanaProvisioning } from './provisioning-files.js';

interface Target {
  refId: string;
  rawQuery: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; datasource: { type: string; uid: string }; query: { rawQuery: string } }[] };
}

const dashboard = JSON.parse(readFileSync(join(GRAFANA_DIR, 'dashboards', 'gridsentry.json'), 'utf8')) as Dashboard;
const datasources = parse(readFileSync(join(GRAFANA_DIR, 'provisioning', 'datasources', 'gridsentry.yaml'), 'utf8')) as {
  datasources: { uid: string; type: string; jsonData: Record<string, string> }[];
};
const committedRules = readFileSync(join(GRAFANA_DIR, ALERT_RULES_FILE), 'utf8');

const TIMESTREAM = { type: 'grafana-timestream-datasource', uid: DATASOURCE_UID };
const MEASURE_TYPES = MEASURES as Record<string, { type: string } | undefined>;
const SOURCES: readonly string[] = [...READING_SOURCES, PREDICTION_SOURCE];
const MODEL_MEASURES = ['prediction', 'theft'];

/** What a Timestream query reads: measure names, `measure_value::<type>` casts and source filters. */
function analyse(sql: string): { measures: string[]; casts: string[]; sources: string[] } {
  const quoted = (list: string) => [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
  const measures = [...sql.matchAll(/measure_name\s*(?:=\s*'([^']*)'|IN\s*\(([^)]*)\))/gi)].flatMap((m) =>
    m[1] !== undefined ? [m[1]] : quoted(m[2] ?? ''),
  );
  const casts = [...sql.matchAll(/measure_value::(\w+)/gi)].map((m) => (m[1] ?? '').toUpperCase());
  const sources = [...sql.matchAll(/\bsource\s*(?:=\s*'([^']*)'|IN\s*\(([^)]*)\))/gi)].flatMap((m) =>
    m[1] !== undefined ? [m[1]] : quoted(m[2] ?? ''),
  );
  return { measures, casts, sources };
}

/** Every failure of a query against what storage writes (lambdas/storage/measures.ts); empty when it fits. */
function problems(where: string, sql: string): string[] {
  const { measures, casts, sources } = analyse(sql);
  const out: string[] = [];
  if (measures.length !== 1) out.push(`${where}: expected exactly one measure_name, found ${JSON.stringify(measures)}`);
  for (const m of measures) {
    const spec = MEASURE_TYPES[m];
    if (!spec) {
      out.push(`${where}: measure ${m} is not written by storage (MEASURES: ${Object.keys(MEASURES).join(', ')})`);
      continue;
    }
    for (const cast of casts) if (cast !== spec.type) out.push(`${where}: ${m} is ${spec.type} but read as measure_value::${cast.toLowerCase()}`);
    const allowed: readonly string[] = MODEL_MEASURES.includes(m) ? [PREDICTION_SOURCE] : READING_SOURCES;
    for (const s of sources) if (!allowed.includes(s)) out.push(`${where}: ${m} is not stored under source ${s}`);
  }
  for (const s of sources) if (!SOURCES.includes(s)) out.push(`${where}: unknown source ${s}`);
  if (!sql.includes('$__timeFilter')) out.push(`${where}: no $__timeFilter, the query would scan the whole table`);
  if (!sql.includes('FROM $__database.$__table')) out.push(`${where}: not reading $__database.$__table from the data source`);
  return out;
}

describe('dashboard', () => {
  const panelQueries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));

  it('reads only measures storage writes, with their types and sources', () => {
    const found = [
      ...panelQueries.flatMap(({ panel, target }) => problems(`panel "${panel.title}" ${target.refId}`, target.rawQuery)),
      ...dashboard.templating.list.flatMap((v) => problems(`variable ${v.name}`, v.query.rawQuery)),
    ];
    expect(found).toEqual([]);
  });

  it('shows line voltage, power, joining factor and predictions', () => {
    const shown = Object.fromEntries(panelQueries.map(({ panel, target }) => [panel.title, analyse(target.rawQuery).measures]));
    expect(shown).toEqual({
      'Line voltage (feeder)': ['line_voltage'],
      'Feeder vs summed transformer power': ['power'],
      'Joining factor': ['joining_factor'],
      'Theft predictions over time': ['theft'],
      'Prediction log': ['prediction'],
    });
  });

  it('compares the feeder with the sum of all three transformers', () => {
    const power = panelQueries.find(({ panel }) => panel.title === 'Feeder vs summed transformer power');
    expect(analyse(power?.target.rawQuery ?? '').sources).toEqual(['feeder', 'transformer1', 'transformer2', 'transformer3']);
  });

  it('filters every panel by the selected meters', () => {
    expect(panelQueries.filter(({ target }) => !target.rawQuery.includes('device_id IN (${device:sqlstring})')).map(({ panel }) => panel.title)).toEqual([]);
  });

  it('queries the provisioned Timestream data source everywhere', () => {
    expect(datasources.datasources.map((d) => ({ type: d.type, uid: d.uid }))).toEqual([TIMESTREAM]);
    const used = [
      ...panelQueries.flatMap(({ panel, target }) => [panel.datasource, target.datasource]),
      ...dashboard.templating.list.map((v) => v.datasource),
    ];
    expect(used.filter((d) => JSON.stringify(d) !== JSON.stringify(TIMESTREAM))).toEqual([]);
  });

  it('has unique panel ids', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['line_voltage', 'DOUBLE'],
    ['theft', 'BIGINT'],
  ])('catches a query that misreads %s', (measure) => {
    const wrong = `SELECT measure_value::varchar FROM $__database.$__table WHERE $__timeFilter AND measure_name = '${measure}' AND source = 'model'`;
    expect(problems('probe', wrong).length).toBeGreaterThan(0);
    expect(problems('probe', "SELECT 1 FROM $__database.$__table WHERE $__timeFilter AND measure_name = 'voltage'")).toEqual([
      `probe: measure voltage is not written by storage (MEASURES: ${Object.keys(MEASURES).join(', ')})`,
    ]);
  });
});

describe('data source', () => {
  it('takes region, database and table from the environment', () => {
    expect(datasources.datasources[0]?.jsonData).toEqual({
      authType: 'default',
      defaultRegion: '${GRIDSENTRY_AWS_REGION}',
      defaultDatabase: '"${GRIDSENTRY_TIMESTREAM_DATABASE}"',
      defaultTable: '"${GRIDSENTRY_TIMESTREAM_TABLE}"',
    });
  });
});

describe('alert rules', () => {
  type Rules = ReturnType<typeof parseRules>;
  const parseRules = (text: string) =>
    parse(text) as {
      groups: {
        folder: string;
        rules: {
          uid: string;
          title: string;
          condition: string;
          data: { refId: string; datasourceUid: string; model: { rawQuery?: string; type?: string; expression?: string; conditions?: { evaluator: { type: string; params: number[] } }[] } }[];
        }[];
      }[];
    };
  const summary = (rules: Rules) =>
    rules.groups.flatMap((g) =>
      g.rules.map((r) => ({
        uid: r.uid,
        title: r.title,
        condition: r.condition,
        datasources: r.data.map((d) => d.datasourceUid),
        evaluator: r.data.find((d) => d.refId === r.condition)?.model.conditions?.[0]?.evaluator,
      })),
    );

  it('committed file is the rendering for the default 200 V (mains, the seed checklist)', () => {
    expect(DEFAULT_CONFIG.voltageThreshold).toBe(200);
    expect(committedRules).toBe(renderAlertRules({ voltageThreshold: 200 }));
  });

  it('alerts per meter on line voltage below the threshold and on any theft prediction', () => {
    expect(summary(parseRules(committedRules))).toEqual([
      {
        uid: 'gridsentry-line-voltage-low',
        title: 'Line voltage below 200 V',
        condition: 'B',
        datasources: [DATASOURCE_UID, '__expr__'],
        evaluator: { type: 'lt', params: [200] },
      },
      {
        uid: 'gridsentry-theft-predicted',
        title: 'Power theft predicted',
        condition: 'B',
        datasources: [DATASOURCE_UID, '__expr__'],
        evaluator: { type: 'gt', params: [0] },
      },
    ]);
  });

  it('queries only measures storage writes', () => {
    const rules = parseRules(committedRules).groups.flatMap((g) => g.rules);
    const found = rules.flatMap((r) => r.data.filter((d) => d.model.rawQuery).flatMap((d) => problems(`rule ${r.uid}`, d.model.rawQuery ?? '')));
    expect(found).toEqual([]);
    expect(rules.map((r) => analyse(r.data[0]?.model.rawQuery ?? '').measures)).toEqual([['line_voltage'], ['theft']]);
  });

  it('takes the threshold as a parameter (lab meter near 12 V)', () => {
    const lab = summary(parseRules(renderAlertRules({ voltageThreshold: 11 })));
    expect(lab[0]).toMatchObject({ title: 'Line voltage below 11 V', evaluator: { type: 'lt', params: [11] } });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the threshold %d', (volts) => {
    expect(() => alertRules({ voltageThreshold: volts })).toThrow(RangeError);
  });

  it('writes a deployment folder with the chosen threshold', () => {
    const out = mkdtempSync(join(tmpdir(), 'gridsentry-grafana-'));
    try {
      writeGrafanaProvisioning(out, { voltageThreshold: 12 });
      expect(readFileSync(join(out, ALERT_RULES_FILE), 'utf8')).toBe(renderAlertRules({ voltageThreshold: 12 }));
      expect(JSON.parse(readFileSync(join(out, 'dashboards', 'gridsentry.json'), 'utf8'))).toEqual(dashboard);
      expect(parse(readFileSync(join(out, 'provisioning', 'datasources', 'gridsentry.yaml'), 'utf8'))).toEqual(datasources);
      expect(readFileSync(join(out, 'provisioning', 'dashboards', 'gridsentry.yaml'), 'utf8')).toContain('/var/lib/grafana/dashboards/gridsentry');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
