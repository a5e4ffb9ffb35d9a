/**
 * Classification metrics as scikit-learn's `classification_report` and `confusion_matrix` define
 * them (pure arithmetic, no tfjs): the labels are those of the truth or of the predictions,
 * precision/recall/F1 of a class with nothing to divide by are 0 (sklearn's zero_division=0),
 * micro averages pool every decision, macro averages classes equally, weighted by support.
 */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Averages {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ClassificationReport {
  readonly accuracy: number;
  /** Rows evaluated. */
  readonly support: number;
  readonly macro: Averages;
  readonly micro: Averages;
  readonly weighted: Averages;
  readonly per_class: Readonly<Record<string, ClassScores>>;
  /** rows = actual class, columns = predicted class, both in `labels` order. */
  readonly confusion_matrix: { readonly labels: readonly string[]; readonly matrix: readonly (readonly number[])[] };
}

/**
 * `labelOrder` fixes the order of the classes (the model's label map); labels seen only in
 * `actual`/`predicted` follow, sorted. Classes never seen in either are left out, as sklearn does.
 */
export function classificationReport(
  actual: readonly string[],
  predicted: readonly string[],
  labelOrder: readonly string[] = [],
): ClassificationReport {
  if (actual.length !== predicted.length) throw new Error(`${actual.length} true labels but ${predicted.length} predictions`);
  const seen = new Set([...actual, ...predicted]);
  const extra = [...seen].filter((l) => !labelOrder.includes(l)).sort();
  const labels = [...labelOrder.filter((l) => seen.has(l)), ...extra];
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  actual.forEach((a, i) => (matrix[index.get(a)!]![index.get(predicted[i]!)!] as number)++);

  const perClass: Record<string, ClassScores> = {};
  let correct = 0;
  labels.forEach((label, k) => {
    const tp = matrix[k]![k]!;
    const support = sum(matrix[k]!);
    const predictedAs = sum(matrix.map((row) => row[k]!));
    correct += tp;
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    perClass[label] = { precision, recall, f1: f1Of(precision, recall), support };
  });
  const n = actual.length;
  const scores = labels.map((l) => perClass[l]!);
  const mean = (pick: (s: ClassScores) => number, weight: (s: ClassScores) => number): number => {
    const total = sum(scores.map(weight));
    return total === 0 ? 0 : sum(scores.map((s) => pick(s) * weight(s))) / total;
  };
  const averaged = (weight: (s: ClassScores) => number): Averages => ({
    precision: mean((s) => s.precision, weight),
    recall: mean((s) => s.recall, weight),
    f1: mean((s) => s.f1, weight),
  });
  // Single-label: every wrong decision is one false positive and one false negative, so micro P = R = F1 = accuracy.
  const accuracy = ratio(correct, n);
  return {
    accuracy,
    support: n,
    macro: averaged(() => 1),
    micro: { precision: accuracy, recall: accuracy, f1: accuracy },
    weighted: averaged((s) => s.support),
    per_class: perClass,
    confusion_matrix: { labels, matrix },
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function f1Of(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
