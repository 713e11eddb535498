#!/usr/bin/env node
'use strict';
// Thin launcher. The package ships dist/; in a checkout of this repository `npm ci` compiles it (the
// `prepare` script, which npm runs for the root project and when packing, never for a registry install).
require('../dist/cli/main.js').main(process.argv);
