// wrangler's build step: copies Swagger UI's two files from the pinned swagger-ui-dist package into
// public/doc/, where the Worker serves them as static assets (so /doc loads nothing from another host).
// They are not committed: 1.9 MB that npm already has.
import { copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
	copyFileSync(path.join(root, "node_modules/swagger-ui-dist", file), path.join(root, "public/doc", file));
}
