#!/usr/bin/env node
'use strict';
// tsc compiles only .ts files; the catalog's queries/*.sql are read at run time next to the compiled code,
// so every .sql file under src/ is copied to the same place under dist/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

function copySqlFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      copySqlFiles(from);
    } else if (entry.name.endsWith('.sql')) {
      const to = path.join(dist, path.relative(src, from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}

copySqlFiles(src);
