// Copies the non-TypeScript assets the runtime reads (built-in rule pack) next to the compiled code,
// and marks the CLI executable.
import { chmodSync, cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist/rules'), { recursive: true });
cpSync(join(root, 'src/rules/pack'), join(root, 'dist/rules/pack'), { recursive: true });

// `npx forensics` runs the bin file directly: keep it executable whenever the build rewrites it.
chmodSync(join(root, 'dist/cli/main.js'), 0o755);
