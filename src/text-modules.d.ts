/**
 * Text files imported as strings: wrangler (and the test pool, which reads its configuration) bundles
 * `*.txt` as text modules by default.
 *
 * @module
 */
declare module "*.txt" {
	const text: string;
	export default text;
}
