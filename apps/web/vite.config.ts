import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built app is served by the API at `/`; in development Vite serves it and proxies the API.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // MapLibre alone is ~1 MB minified; it gets its own chunk so the app's code caches separately.
    chunkSizeWarningLimit: 1200,
    rollupOptions: { output: { manualChunks: { maplibre: ['maplibre-gl'], react: ['react', 'react-dom', 'react-dom/client'] } } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
