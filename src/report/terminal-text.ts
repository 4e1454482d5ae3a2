/**
 * Text bound for a terminal may come from the store or a plugin (a method's name, its parameters,
 * an error, a diagnostic), and a control character in it is an instruction to the terminal
 * (ESC[2J clears the screen, a carriage return overwrites the line). C0 controls but newline and
 * tab, DEL and the C1 controls are removed.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '');
}

/** JSON text with DEL and the C1 controls (which JSON.stringify leaves raw) written as \u escapes. */
export function jsonSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
