import type { ClassMetrics } from '../infer/artifact.js';
import type { TrainedModel } from './train-model.js';

const sklearnMetrics = (m: ClassMetrics) => ({ precision: m.precision, recall: m.recall, 'f1-score': m.f1, support: m.support });

/** report.json: scikit-learn's classification_report(output_dict=True) layout, the confusion matrix as rows, and how the model was made. */
export function toReportJson(trained: TrainedModel) {
  const { model, report, timings } = trained;
  return {
    model_id: model.id,
    protocol: model.training.protocol,
    dataset: model.training.dataset,
    test_size: model.training.testSize,
    seed: model.training.seed,
    train_rows: model.training.trainRows,
    test_rows: model.training.testRows,
    params: model.training.params,
    kernel: model.kernel,
    n_support: model.vectorsPerClass,
    classes: model.classes,
    classification_report: {
      ...Object.fromEntries(report.classes.map((c) => [c, sklearnMetrics(report.perClass[c])])),
      accuracy: report.accuracy,
      'macro avg': sklearnMetrics(report.macroAvg),
      'weighted avg': sklearnMetrics(report.weightedAvg),
    },
    confusion_matrix: report.confusionMatrix,
    timings_ms: timings,
  };
}
