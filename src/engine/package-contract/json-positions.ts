/**
 * Where each value of a JSON text starts (1-based line and column), by its path, so a violation
 * can point at `package.json:12:18` and editors link it. JSON.parse keeps no positions and no
 * light maintained library does only this, so it is a small scanner over the grammar; on text it
 * cannot read it returns what it found so far (the positions are a help, never required).
 */
export type JsonPath = ReadonlyArray<string | number>;

export function jsonValuePositions(text: string): (path: JsonPath) => { line: number; column: number } | undefined {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: Array<string | number>): void => {
    ws();
    offsets.set(key(path), i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (text[i] === '"') {
        const name = string();
        ws();
        if (text[i++] !== ':') throw new Error('expected :');
        value([...path, name]);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        }
      }
      if (text[i++] !== '}') throw new Error('expected }');
    } else if (c === '[') {
      i++;
      ws();
      for (let n = 0; text[i] !== ']' && i < text.length; n++) {
        value([...path, n]);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  try {
    value([]);
  } catch {
    // Keep the positions found before the problem.
  }
  const lineStarts = [0];
  for (let n = 0; n < text.length; n++) if (text[n] === '\n') lineStarts.push(n + 1);
  return (path) => {
    const offset = offsets.get(key(path));
    if (offset === undefined) return undefined;
    let line = lineStarts.length - 1;
    while (lineStarts[line] > offset) line--;
    return { line: line + 1, column: offset - lineStarts[line] + 1 };
  };
}

function key(path: JsonPath): string {
  return path.map(String).join('\0');
}
