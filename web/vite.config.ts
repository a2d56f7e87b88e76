import { defineConfig } from 'vite';

// Everything is bundled into web/dist: no fonts, CDNs or other network requests at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Vite 8 transforms with Oxc (its esbuild option is deprecated): React's automatic JSX runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false },
});
