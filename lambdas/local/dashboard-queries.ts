import type Database from 'better-sqlite3';
import { PREDICTION_SOURCE } from '../storage/measures.js';

export interface DeviceState {
  device: string;
  time: number;
  lineVoltage: number | null;
  joiningFactor: number | null;
  /** mW per source. */
  power: Record<string, number | null>;
  prediction: string | null;
}

export interface TheftAlert {
  device: string;
  time: number;
  label: string;
}

export interface DashboardState {
  devices: DeviceState[];
  alerts: TheftAlert[];
}

const SOURCES = ['feeder', 'transformer1', 'transformer2', 'transformer3'];
/** Meters shown: those heard from within an hour of the newest reading (a key range scan, not the whole table). */
const RECENT_MS = 3_600_000;

/** Reads what the dashboard shows from the local store: the latest reading of each recent device, and theft alerts. */
export class DashboardQueries {
  private readonly recentDevices: Database.Statement;
  private readonly atTime: Database.Statement;
  private readonly alertsStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.recentDevices = db.prepare(
      `SELECT device_id AS device, MAX(time) AS time FROM readings
       WHERE time >= (SELECT MAX(time) FROM readings) - ${RECENT_MS} AND source = 'feeder' AND measure_name = 'line_voltage'
       GROUP BY device_id ORDER BY time DESC LIMIT ?`,
    );
    this.atTime = db.prepare(
      `SELECT source, measure_name AS measure, measure_value_double AS d, measure_value_varchar AS v FROM readings
       WHERE device_id = ? AND source IN ('feeder', 'transformer1', 'transformer2', 'transformer3', '${PREDICTION_SOURCE}')
         AND measure_name IN ('line_voltage', 'joining_factor', 'power', 'prediction') AND time = ?`,
    );
    this.alertsStmt = db.prepare(
      `SELECT device_id AS device, time, measure_value_varchar AS label FROM readings
       INDEXED BY theft_alerts
       WHERE source = '${PREDICTION_SOURCE}' AND measure_name = 'prediction' AND measure_value_varchar <> 'normal'
       ORDER BY time DESC LIMIT ?`,
    );
  }

  state(deviceLimit = 20, alertLimit = 50): DashboardState {
    const devices = (this.recentDevices.all(deviceLimit) as { device: string; time: number }[]).map(({ device, time }) => {
      const rows = this.atTime.all(device, time) as { source: string; measure: string; d: number | null; v: string | null }[];
      const get = (source: string, measure: string) => rows.find((r) => r.source === source && r.measure === measure);
      return {
        device,
        time,
        lineVoltage: get('feeder', 'line_voltage')?.d ?? null,
        joiningFactor: get('feeder', 'joining_factor')?.d ?? null,
        power: Object.fromEntries(SOURCES.map((s) => [s, get(s, 'power')?.d ?? null])),
        prediction: get(PREDICTION_SOURCE, 'prediction')?.v ?? null,
      };
    });
    return { devices, alerts: this.alertsStmt.all(alertLimit) as TheftAlert[] };
  }
}
