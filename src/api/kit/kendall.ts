/**
 * Kendall's τ-b between two paired samples: (concordant − discordant pairs) over the geometric
 * mean of the pairs untied in each sample, so that ties (equal accuracies on a validation batch
 * are common) neither count as agreement nor inflate the denominator. Null when either sample is
 * constant or there are fewer than two pairs. O(n²): n is a run's evaluations.
 */
export function kendallTau(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error(`kendallTau: samples of different lengths (${x.length} and ${y.length})`);
  let [concordant, discordant, untiedX, untiedY] = [0, 0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx !== 0) untiedX++;
      if (dy !== 0) untiedY++;
      if (dx * dy > 0) concordant++;
      else if (dx * dy < 0) discordant++;
    }
  }
  const denominator = Math.sqrt(untiedX * untiedY);
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}
