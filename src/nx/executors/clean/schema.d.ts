export interface CleanExecutorOptions {
  config?: string;
  force?: boolean;
  configTimeoutMs?: number;
}
