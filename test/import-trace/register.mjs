// Loaded with `node --import`: installs trace-packages.mjs's hooks before the CLI's first import.
import { register } from 'node:module';

register('./trace-packages.mjs', import.meta.url);
