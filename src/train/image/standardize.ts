/**
 * Per-channel statistics of value/255 over the TRAIN images only (CONTRACT-image-train.md:
 * val/test never leak into them), and their application to any split. A channel with no
 * spread gets std 1, so a constant channel becomes 0 rather than NaN.
 */
export function channelStats(pixels: Float32Array, channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    const c = i % channels;
    sum[c] = sum[c]! + v;
    sumSq[c] = sumSq[c]! + v * v;
  }
  const n = pixels.length / channels;
  const mean = Array.from(sum, (s) => (n === 0 ? 0 : s / n));
  const std = Array.from(sumSq, (s, c) => {
    const variance = n === 0 ? 0 : s / n - mean[c]! ** 2;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

export function standardizeInPlace(pixels: Float32Array, mean: readonly number[], std: readonly number[]): void {
  const channels = mean.length;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i]! - mean[i % channels]!) / std[i % channels]!;
}
