// Builds the SPARQL editor bundle the endpoint serves, with nothing fetched at run time:
//   graph/server/assets/vendor/codemirror.js       CodeMirror 6 + codemirror-lang-sparql (global `CM`)
//   graph/server/assets/vendor/LICENSES.txt        the licence of every package inside it
// Run from this folder:  npm ci && npm run build
// (package-lock.json pins the versions; graph/server/assets/vendor/README.md lists them.)
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../../graph/server/assets/vendor");
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "entry.js")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "CM",
  target: ["es2020"],
  legalComments: "none",
  metafile: true,
  banner: { js: "/* CodeMirror 6 and codemirror-lang-sparql, MIT licensed: see LICENSES.txt " +
                "beside this file; rebuilt by .ci/editor/build.mjs (README.md here). */" },
  outfile: join(out, "codemirror.js"),
});

// Every package that has a file in the bundle, with its version and licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const sections = [...packages].sort().map((name) => {
  const folder = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `(${meta.license})`;
  return `${name} ${meta.version} (${meta.license})\n${"-".repeat(60)}\n${text}\n`;
});
writeFileSync(join(out, "LICENSES.txt"),
  "Licences of the packages bundled into codemirror.js\n\n" + sections.join("\n"));
console.log([...packages].sort().map((n) => {
  const meta = JSON.parse(readFileSync(join(here, "node_modules", n, "package.json"), "utf8"));
  return `${n} ${meta.version}`;
}).join("\n"));
