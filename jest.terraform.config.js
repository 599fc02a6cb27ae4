/** The offline Terraform suite: slow (a provider start-up per command), so it runs apart from the unit suite. */
const base = require("./jest.config");

module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/terraform"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 300000,
};
