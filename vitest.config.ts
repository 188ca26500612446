import { defineConfig } from 'vitest/config';

// test/unit mirrors src (test/unit/<dir>/ tests src/<dir>/); test/content tests the shipped
// scenarios and learner text; see docs/testing.md.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/content/**/*.test.{ts,tsx}'],
    testTimeout: 10_000,
    globalSetup: ['test/tmpdir.ts'],
  },
});
