// Jest globalSetup: see repo-outdir.js.
module.exports = require('./repo-outdir').setup;
