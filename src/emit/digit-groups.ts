/**
 * A whole number with its thousands grouped by commas (`1,234,567`), as `toLocaleString('en-US')` prints
 * it — without Intl: the first toLocaleString of a process initializes ICU's number formatting, ~40 ms of
 * CPU (far more on a busy machine) that a `gen diff` would spend for one header line.
 */
export function groupedDigits(whole: number): string {
  // Anything but a safe integer (no row count is one) keeps Intl's exact rendering.
  if (!Number.isSafeInteger(whole)) return whole.toLocaleString('en-US');
  const digits = String(Math.abs(whole));
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return `${whole < 0 || Object.is(whole, -0) ? '-' : ''}${groups.join(',')}`;
}
