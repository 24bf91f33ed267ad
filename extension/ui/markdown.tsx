// PRIVACY.md shown in the extension's own page without turning any text into markup: the few Markdown forms
// the policy uses (#–### headings, paragraphs, "- " lists with indented continuation lines; **strong**,
// *em*, `code`, [links](https://…)) become Preact elements, and everything else stays text.
import type { ComponentChildren } from 'preact';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

export function blocks(source: string): Block[] {
  const out: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length) out.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (list) out.push({ kind: 'list', items: list });
    paragraph = [];
    list = null;
  };
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    const item = /^- (.+)$/.exec(line);
    if (heading) {
      flush();
      out.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3, text: heading[2]! });
    } else if (line === '') {
      flush();
    } else if (item) {
      if (paragraph.length) flush();
      list ??= [];
      list.push(item[1]!);
    } else if (list && /^\s/.test(raw)) {
      list[list.length - 1] += ` ${line}`;
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return out;
}

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/;

export function inline(text: string): ComponentChildren[] {
  return text
    .split(INLINE)
    .filter((part) => part !== '')
    .map((part) => {
      if (part.startsWith('**') && part.endsWith('**') && part.length > 4)
        return <strong>{part.slice(2, -2)}</strong>;
      if (part.startsWith('`') && part.endsWith('`') && part.length > 2)
        return <code>{part.slice(1, -1)}</code>;
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      // Only web addresses become links; a relative path (another file of the repository) stays its text.
      if (link) return link[2]!.startsWith('https://') ? <a href={link[2]}>{link[1]}</a> : link[1];
      if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em>{part.slice(1, -1)}</em>;
      return part;
    });
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {blocks(source).map((block) => {
        if (block.kind === 'heading') {
          const Tag = `h${block.level}` as 'h1' | 'h2' | 'h3';
          return <Tag>{inline(block.text)}</Tag>;
        }
        if (block.kind === 'list') {
          return (
            <ul>
              {block.items.map((item) => (
                <li>{inline(item)}</li>
              ))}
            </ul>
          );
        }
        return <p>{inline(block.text)}</p>;
      })}
    </>
  );
}
