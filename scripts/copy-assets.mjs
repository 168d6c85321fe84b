// Copies the non-TypeScript assets the runtime reads (built-in rule pack) next to the compiled code,
// writes the pack pre-parsed and pre-validated, with the syntax trees of its `where` conditions
// (dist/rules/builtin-pack.json: a run then loads neither the YAML parser, the schema validator nor the
// expression parser for it), and marks the CLI executable.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist/rules'), { recursive: true });
cpSync(join(root, 'src/rules/pack'), join(root, 'dist/rules/pack'), { recursive: true });

const { prebuildPack, prebuiltPackPath } = await import(pathToFileURL(join(root, 'dist/rules/loader.js')).href);
writeFileSync(prebuiltPackPath(), JSON.stringify(await prebuildPack(join(root, 'dist/rules/pack'))));

// `npx forensics` runs the bin file directly: keep it executable whenever the build rewrites it.
chmodSync(join(root, 'dist/cli/main.js'), 0o755);
