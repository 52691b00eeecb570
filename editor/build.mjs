// Builds the one file the admin editor page loads, src/Verdicts.Web/wwwroot/js/editor.bundle.js, and beside it the
// licences of every package inside it (CodeMirror's sources carry no licence comments for esbuild to keep, so they are
// collected here). Run `npm ci && npm run build` after changing editor.js or a version in package.json, and commit both
// outputs.
import { build } from "esbuild";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "Verdicts.Web", "wwwroot", "js", "editor.bundle.js");

const result = await build({
  entryPoints: [join(here, "editor.js")],
  outfile: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  banner: { js: "/*! CodeMirror 6 and the parts it is built from (MIT): licences in editor.bundle.js.LICENSES.txt */" },
  metafile: true,
  logLevel: "info",
});

// Only the packages that left code in the bundle: esbuild reads more than tree shaking keeps.
const packages = new Map();
const [output] = Object.values(result.metafile.outputs);
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  if (bytesInOutput === 0) {
    continue;
  }
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) {
    packages.set(match[1], join(here, "node_modules", match[1]));
  }
}

const sections = [...packages.keys()].sort().map(name => {
  const folder = packages.get(name);
  const { version, license } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find(f => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `${license} (no licence file in the package)`;
  return `${name} ${version} (${license})\n\n${text}\n`;
});
writeFileSync(out + ".LICENSES.txt",
  "Third-party code in editor.bundle.js, built from editor/ in this repository with esbuild.\n\n" +
  sections.join("\n" + "-".repeat(72) + "\n\n"));
console.log(`${packages.size} packages, licences in ${out}.LICENSES.txt`);
