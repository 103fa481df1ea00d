/** The sync generator takes no options: Nx calls sync generators with the tree alone (`nx g` passes `{}`). */
export type SyncPackageJsonGeneratorSchema = Record<string, unknown>;
