#!/usr/bin/env node
// A `solc` executable for forge, backed by the npm `solc` package (solcjs: the compiler built
// to wasm/JavaScript), because no native solc installs from the registries these machines reach.
//
// forge drives a compiler through two calls only:
//   solc --version                 -> reads the last "Version: X.Y.Z+commit.HASH.PLATFORM" line
//   solc --standard-json [paths]   -> Standard JSON input on stdin, Standard JSON output on stdout
// Imports that forge did not put into the input are read from disk, relative to the paths it
// passes (--base-path, --include-path, --allow-paths) and to the working directory.
'use strict';

const fs = require('fs');
const path = require('path');

function loadSolc() {
  try {
    return require('solc');
  } catch (_) {
    // Run from elsewhere: resolve the package from the repository's node_modules.
    return require(path.join(__dirname, '..', 'node_modules', 'solc'));
  }
}

function fail(message, code) {
  process.stderr.write('solc-shim: ' + message + '\n');
  process.exit(code);
}

const argv = process.argv.slice(2);
const solc = loadSolc();

if (argv.includes('--version') || argv.includes('-v')) {
  // solcjs reports "0.8.37+commit.f401782d.Emscripten.clang"; forge parses the semver part.
  const version = solc.version().replace(/\.Emscripten\.clang$/, '.Linux.g++');
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + version + '\n');
  process.exit(0);
}

if (!argv.includes('--standard-json')) {
  fail('only `--version` and `--standard-json` are supported (this is solcjs behind a shim for forge)', 2);
}

const PATH_FLAGS = new Set(['--base-path', '--include-path', '--allow-paths']);
const searchRoots = [];
for (let i = 0; i < argv.length; i += 1) {
  const flag = argv[i].split('=')[0];
  if (!PATH_FLAGS.has(flag)) continue;
  const value = argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[++i];
  if (value) searchRoots.push(...value.split(',').filter(Boolean));
}
searchRoots.push(process.cwd());

function readImport(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : searchRoots.map((root) => path.resolve(root, importPath));
  for (const candidate of candidates) {
    try {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    } catch (_) {
      // try the next root
    }
  }
  return { error: 'File not found: ' + importPath + ' (searched ' + searchRoots.join(', ') + ')' };
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = Buffer.concat(chunks).toString('utf8');
  let output;
  try {
    output = solc.compile(input, { import: readImport });
  } catch (err) {
    fail('solcjs crashed: ' + (err && err.stack ? err.stack : err), 1);
  }
  process.stdout.write(output);
});
