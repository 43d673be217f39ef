/** The dashboard: one static page that polls /api/state every second. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GridSentry local</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
  table { border-collapse: collapse; } th, td { padding: .3rem .7rem; border-bottom: 1px solid #dde3ea; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  .theft { color: #b3261e; font-weight: 600; } #alerts li { margin: .2rem 0; } #status { color: #687787; }
</style>
</head>
<body>
<h1>GridSentry: local stack</h1>
<p id="status">connecting…</p>
<h2>Latest reading per meter</h2>
<table>
  <thead><tr><th>device</th><th>time (UTC)</th><th>line voltage (V)</th><th>joining factor</th>
  <th>feeder power (mW)</th><th>transformer1 (mW)</th><th>transformer2 (mW)</th><th>transformer3 (mW)</th><th>prediction</th></tr></thead>
  <tbody id="devices"></tbody>
</table>
<h2>Theft alerts</h2>
<ul id="alerts"></ul>
<script>
const fmt = (v, d) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
function cell(text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; }
async function refresh() {
  try {
    const res = await fetch('/api/state');
    const s = await res.json();
    const rows = s.devices.map((d) => {
      const tr = document.createElement('tr');
      tr.append(cell(d.device), cell(new Date(d.time).toISOString()), cell(fmt(d.lineVoltage, 2)), cell(fmt(d.joiningFactor, 3)),
        cell(fmt(d.power.feeder, 1)), cell(fmt(d.power.transformer1, 1)), cell(fmt(d.power.transformer2, 1)), cell(fmt(d.power.transformer3, 1)),
        cell(d.prediction ?? '–', d.prediction && d.prediction !== 'normal' ? 'theft' : ''));
      return tr;
    });
    document.getElementById('devices').replaceChildren(...rows);
    const alerts = s.alerts.map((a) => {
      const li = document.createElement('li');
      li.className = 'theft';
      li.dataset.label = a.label;
      li.textContent = a.label + ' theft on ' + a.device + ' at ' + new Date(a.time).toISOString();
      return li;
    });
    document.getElementById('alerts').replaceChildren(...alerts);
    document.getElementById('status').textContent = 'updated ' + new Date().toISOString();
  } catch (e) {
    document.getElementById('status').textContent = 'stack unreachable: ' + e.message;
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
