/**
 * The previous Nx major the plugin still supports, tested by the compatibility set
 * (test/e2e/nx-majors.test.ts). The current major is the `nx` of this repo's lockfile.
 * Move both together with the peer range in package.json and docs/support.md.
 */
export const NX_PREVIOUS_MAJOR = '23.3.2';
