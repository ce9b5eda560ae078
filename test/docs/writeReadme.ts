// `npm run docs`: rewrites the README's generated tables (commands, settings) from package.json.
import { writeFileSync } from 'node:fs';
import { README, readProject } from './projectFiles';
import { renderReadme } from './readmeTables';

const { manifest, nls, readme } = readProject();
const updated = renderReadme(readme, manifest, nls);
if (updated === readme.replace(/\r\n/g, '\n')) {
  console.log('README.md: the commands and settings tables are up to date.');
} else {
  writeFileSync(README, updated);
  console.log('README.md: rewrote the commands and settings tables from package.json.');
}
