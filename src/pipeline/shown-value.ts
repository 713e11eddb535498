/** A user's value inside a one-line message: line breaks and tabs shown as escapes, never as breaks. */
export function shownValue(text: string): string {
  return text.replace(/[\r\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}
