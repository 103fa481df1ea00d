import { escape } from './index';

export function button(label: string): string {
  return `<button type="button">${escape(label)}</button>`;
}
