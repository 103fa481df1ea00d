import { button, heading } from '@demo/ui';

export function render(): string {
  return `${heading('Build system demo')}\n${button('Click me')}`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(render());
