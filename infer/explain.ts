import type { Predictor } from './predictor.js';

/** A human-readable account of a loaded model: what it expects, how meter readings map to it, how it was trained. */
export function explainModel(predictor: Predictor): string {
  const m = predictor.artifact;
  const t = m.training;
  const lines = [
    `model ${m.id} (${m.format} v${m.version}), scaler ${m.scaler.digest.slice(0, 19)}…`,
    `classes   ${m.classes.map((c, i) => `${i}=${c}`).join(', ')}`,
    `kernel    ${m.kernel.type}${m.kernel.type === 'linear' ? '' : `, gamma ${m.kernel.gamma}`}${m.kernel.type === 'poly' ? `, degree ${m.kernel.degree}` : ''}${m.kernel.type === 'poly' || m.kernel.type === 'sigmoid' ? `, coef0 ${m.kernel.coef0}` : ''}`,
    `support   ${m.supportVectors.length} vectors (${m.classes.map((c, i) => `${c} ${m.vectorsPerClass[i]}`).join(', ')})`,
    `decision  one-vs-one values in pair order ${predictor.pairNames().join(', ')}; positive votes for the first class`,
    '',
    'inputs (model units) and their training range:',
    ...m.features.map((f, i) => `  ${f.name.padEnd(13)} ${f.unit.padEnd(30)} ${m.featureRanges.min[i]} .. ${m.featureRanges.max[i]}`),
    '',
    m.featureSet ? `features the SVM sees (feature set ${m.featureSet.name}, derived from the inputs) and their scaler:` : 'scaler:',
    ...predictor.scaler.features.map((f, i) => {
      const derived = m.featureSet?.features[i];
      const formula = derived ? ` = (${derived.numerator.join(' + ')})${derived.denominator.length ? ` / (${derived.denominator.join(' + ')})` : ''}` : '';
      return `  ${f.name.padEnd(13)}${formula}   mean ${predictor.scaler.mean[i]}, scale ${predictor.scaler.scale[i]}`;
    }),
    '',
    'calibration: meter payload -> feature = value * scale + offset',
    ...m.calibration.entries.map((e) => `  ${e.feature.padEnd(13)} = ${e.source} [${e.sourceUnit}] * ${e.scale} + ${e.offset}`),
    `  why: ${m.calibration.description}`,
    '',
    `training  ${t.dataset.file} (${t.dataset.rows} rows, sha256 ${t.dataset.sha256.slice(0, 12)}…), protocol ${t.protocol}, ${t.trainRows} train / ${t.testRows} test, seed ${t.seed}`,
    `params    C ${t.params.C}, gamma ${t.params.gamma}, tol ${t.params.tol}, shrinking ${t.params.shrinking}${Object.keys(t.params.classWeight).length ? `, class weights ${JSON.stringify(t.params.classWeight)}` : ''}`,
    `test      accuracy ${m.metrics.accuracy.toFixed(4)}, macro F1 ${m.metrics.macroAvg.f1.toFixed(4)}, confusion ${JSON.stringify(m.metrics.confusionMatrix)}`,
    `built     ${t.createdAt} with ${Object.entries(t.libraries).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  return lines.join('\n');
}
