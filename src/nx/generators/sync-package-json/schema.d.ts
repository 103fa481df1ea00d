/** The sync generator takes no options: Nx calls sync generators with the tree alone. */
export type SyncPackageJsonGeneratorSchema = Record<string, never>;
