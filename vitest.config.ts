import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/ui/**/*.test.ts', 'test/ui/**/*.test.tsx'],
    testTimeout: 10_000,
  },
});
