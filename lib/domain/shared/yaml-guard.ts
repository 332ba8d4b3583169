import { Lexer, isScalar, visit, type Document } from "yaml";

/**
 * Checks YAML text is shallow enough to hand to the `yaml` parser, whose composer recurses once
 * per nesting level. A few KB of `[[[[…` or `- - - - …` make it overflow the stack (~800 levels);
 * it reports that as a YAML error, but on Node 20 a second such document in the same process
 * then aborts it ("RegExpCompiler Allocation failed - process out of memory"), so one client
 * could stop the console with two small requests. The check runs the library's own lexer, which
 * is iterative, and stops at the first line past the limits, so hostile text is refused quickly.
 */

/** Nesting no Sightline YAML file comes near (an OpenSLO document is about 8 levels deep). */
export const MAX_YAML_NESTING = 64;
/** Indentation (columns) past which a line is refused: 256 one-space levels would be 256 deep. */
export const MAX_YAML_INDENT = 256;

/** Why `text` is too deeply nested to parse (naming the line), or null when it is fine. */
export function yamlNestingProblem(text: string): string | null {
  let line = 1;
  let flowDepth = 0;
  // Block indicators (`-`, `?`, `:`) since the last line break: `- - - 1` nests one level per dash.
  let indicatorsOnLine = 0;
  let atLineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (atLineStart && token.length > MAX_YAML_INDENT && /^ +$/.test(token)) {
      return `line ${line}: indented more than ${MAX_YAML_INDENT} columns (nesting that deep is refused)`;
    }
    atLineStart = false;
    switch (token) {
      case "[":
      case "{":
        if (++flowDepth > MAX_YAML_NESTING) return `line ${line}: [ ] and { } nested more than ${MAX_YAML_NESTING} deep`;
        break;
      case "]":
      case "}":
        if (flowDepth > 0) flowDepth--;
        break;
      case "-":
      case "?":
      case ":":
        if (++indicatorsOnLine > MAX_YAML_NESTING) return `line ${line}: more than ${MAX_YAML_NESTING} nested - ? : indicators on one line`;
        break;
      default: {
        const breaks = countLineBreaks(token);
        if (breaks > 0) {
          line += breaks;
          indicatorsOnLine = 0;
          atLineStart = token.endsWith("\n");
        }
      }
    }
  }
  return null;
}

function countLineBreaks(token: string): number {
  let count = 0;
  for (let i = token.indexOf("\n"); i !== -1; i = token.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * Duplicate mapping keys in a parsed document, each with the key's offset in the text. The
 * library's own `uniqueKeys` check compares every key with every earlier one (a 0.8 MB mapping
 * of 40,000 keys took a minute); this one keeps a set per mapping. Scalar keys are compared by
 * value (`1` and `"1"` differ, as in the library), other keys are not compared.
 */
export function duplicateYamlKeys(doc: Document.Parsed): { offset: number; key: string }[] {
  const duplicates: { offset: number; key: string }[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        const id = typeof value === "string" ? `s:${value}` : `${typeof value}:${String(value)}`;
        if (seen.has(id)) duplicates.push({ offset: pair.key.range?.[0] ?? 0, key: String(value) });
        else seen.add(id);
      }
    },
  });
  return duplicates;
}

/** Alias nodes (`*name`) in a parsed document, before any is resolved. */
export function countYamlAliases(doc: Document.Parsed): number {
  let aliases = 0;
  visit(doc, {
    Alias() {
      aliases++;
    },
  });
  return aliases;
}
