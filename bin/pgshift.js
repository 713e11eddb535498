#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the package's `prepare` script).
require('../dist/cli/main.js').main(process.argv);
