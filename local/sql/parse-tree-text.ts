// Renders an ANTLR parse tree back to SQL text, keeping the source's own spacing and comments between tokens,
// with a hook that lets a dialect translator replace the text of the nodes whose meaning differs on DuckDB.
import type { ParserRuleContext, ParseTree } from 'antlr4ng';

/** Returns the replacement text for a node, or undefined to render it as written (children still rewritten). */
export type NodeRewrite = (node: ParserRuleContext, render: (node: ParseTree) => string) => string | undefined;

interface Span {
  start: number;
  stop: number;
}

function spanOf(node: ParseTree): Span | undefined {
  const n = node as unknown as {
    symbol?: { start: number; stop: number };
    start?: { start: number } | null;
    stop?: { stop: number } | null;
  };
  if (n.symbol) return n.symbol.start < 0 ? undefined : { start: n.symbol.start, stop: n.symbol.stop };
  if (!n.start || !n.stop || n.stop.stop < n.start.start) return undefined;
  return { start: n.start.start, stop: n.stop.stop };
}

function isRule(node: ParseTree): node is ParserRuleContext {
  return (node as { symbol?: unknown }).symbol === undefined;
}

export function renderTree(source: string, root: ParseTree, rewrite: NodeRewrite): string {
  const render = (node: ParseTree): string => {
    if (!isRule(node)) {
      const span = spanOf(node);
      return span ? source.slice(span.start, span.stop + 1) : '';
    }
    const replaced = rewrite(node, render);
    if (replaced !== undefined) return replaced;
    return renderChildren(node);
  };
  const renderChildren = (node: ParserRuleContext): string => {
    let text = '';
    let end: number | undefined;
    for (const child of node.children ?? []) {
      const span = spanOf(child);
      if (!span) continue;
      if (end !== undefined) text += source.slice(end + 1, span.start);
      text += render(child);
      end = span.stop;
    }
    return text;
  };
  // Comments before the first token and after the last are kept too.
  const span = spanOf(root);
  return span ? `${source.slice(0, span.start)}${render(root)}${source.slice(span.stop + 1)}` : render(root);
}

/** The source text of a node as written (no rewrites). */
export function sourceText(source: string, node: ParseTree): string {
  const span = spanOf(node);
  return span ? source.slice(span.start, span.stop + 1) : '';
}
