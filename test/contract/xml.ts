/** A small well-formedness check for the JUnit reports (every tag closed, in order, one root, nothing after it). */
export function isWellFormedXml(text: string): boolean {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let roots = 0;
  const tokens = body.match(/<[^>]*>|[^<]+/g) ?? [];
  for (const token of tokens) {
    if (!token.startsWith("<")) {
      if (stack.length === 0 && token.trim() !== "") return false;
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(token)) return false;
      continue;
    }
    const close = /^<\/([\w:-]+)\s*>$/.exec(token);
    const open = /^<([\w:-]+)(\s+[\w:-]+="[^"<]*")*\s*(\/?)>$/.exec(token);
    if (close) {
      if (stack.pop() !== close[1]) return false;
    } else if (open) {
      if (stack.length === 0) roots += 1;
      if (open[3] !== "/") stack.push(open[1]!);
    } else return false;
  }
  return stack.length === 0 && roots === 1;
}
