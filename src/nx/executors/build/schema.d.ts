export interface BuildExecutorOptions {
  config?: string;
  clean?: boolean;
  incremental?: boolean;
  verbose?: boolean;
  watch?: boolean;
}
