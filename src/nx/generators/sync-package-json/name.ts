/** How a build target names the sync generator (inference imports only this, not the generator). */
export const SYNC_PACKAGE_JSON_GENERATOR = '@repo/build-system:sync-package-json';
