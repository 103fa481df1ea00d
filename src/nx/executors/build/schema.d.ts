export interface BuildExecutorOptions {
  config?: string;
  force?: boolean;
  clean?: boolean;
  incremental?: boolean;
  verbose?: boolean;
  watch?: boolean;
  autoBuilder?: string;
  configTimeoutMs?: number;
}
