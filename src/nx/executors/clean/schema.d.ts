export interface CleanExecutorOptions {
  config?: string;
  force?: boolean;
}
