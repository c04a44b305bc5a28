import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Relative asset paths: the same build is served by CloudFront from S3 and by the local command.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
