/**
 * Learning rate of each epoch (0-based) from the base rate: `constant`; `step` multiplies it by
 * `decay` every `step` epochs; `exponential` by `decay` every epoch; `cosine` anneals it from
 * the base rate towards 0 over the run (half a cosine period).
 */
export interface ScheduleConfig {
  readonly lr: number;
  readonly lr_schedule: 'constant' | 'step' | 'exponential' | 'cosine';
  readonly lr_decay: number;
  readonly lr_step: number;
  readonly epochs: number;
}

export function learningRate(c: ScheduleConfig, epoch: number): number {
  switch (c.lr_schedule) {
    case 'constant':
      return c.lr;
    case 'step':
      return c.lr * c.lr_decay ** Math.floor(epoch / c.lr_step);
    case 'exponential':
      return c.lr * c.lr_decay ** epoch;
    case 'cosine':
      return (c.lr * (1 + Math.cos((Math.PI * epoch) / c.epochs))) / 2;
  }
}
