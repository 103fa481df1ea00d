import { escape } from './index.js';

export function button(label: string): string {
  return `<button type="button">${escape(label)}</button>`;
}
