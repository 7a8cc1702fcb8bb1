// Jest globalTeardown: see repo-outdir.js.
module.exports = require('./repo-outdir').teardown;
