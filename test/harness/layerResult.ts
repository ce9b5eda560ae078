export interface LayerResult {
  passed: number;
  failed: number;
  failures: string[];
}
