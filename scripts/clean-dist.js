#!/usr/bin/env node
'use strict';
// Before packing: start dist/ empty, so the tarball holds only what the current sources compile to
// (tsc never deletes the output of a source file that was removed or renamed).
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
