export { button } from './button.js';

/** Renders a heading as an HTML string. */
export function heading(text: string, level: 1 | 2 | 3 = 1): string {
  return `<h${level}>${escape(text)}</h${level}>`;
}

export function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
