export interface CleanExecutorOptions {
  config?: string;
}
