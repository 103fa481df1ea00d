/**
 * `cjsInterop: true`: the footer that makes `require(pkg)` return the default export with the
 * named exports attached, as packages written in CommonJS did (`module.exports = fn; fn.x = ...`).
 * Only a default export that can carry properties (an object or function that is not frozen) is
 * used; without one, `module.exports` stays the exports object. `default` stays reachable as a
 * property too, so `require(pkg).default` and bundlers' interop keep working.
 */
export const CJS_INTEROP_FOOTER =
  ';(function (m) { var d = m.exports && m.exports.default; if (d !== null && (typeof d === "object" || typeof d === "function") && Object.isExtensible(d)) m.exports = Object.assign(d, m.exports); })(module);';

/** The output's own footer, then the interop line when asked for. */
export function footerWith(footer: string | undefined, cjsInterop: boolean): string | undefined {
  if (!cjsInterop) return footer;
  return footer === undefined ? CJS_INTEROP_FOOTER : `${footer}\n${CJS_INTEROP_FOOTER}`;
}
