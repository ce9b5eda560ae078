export interface LayerResult {
  passed: number;
  failed: number;
  failures: string[];
  /** UI layer: the helpers' retries (see test/ui/retries.ts). */
  retries?: { total: number; byHelper: Record<string, number> };
}
