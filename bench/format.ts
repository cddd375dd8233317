/**
 * Number and table formatting shared by the benchmark's and the soak's reports.
 *
 * @module
 */

/** Formats a number with a fixed count of decimals. */
export const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/** Formats bytes as KiB with one decimal. */
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Renders a Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
	return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
