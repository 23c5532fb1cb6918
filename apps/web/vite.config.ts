import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { walletBudget } from './build/wallet-budget.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev -w @trieste/web` proxies the API to a server started with `npm start`.
const api = process.env.TRIESTE_API ?? 'http://127.0.0.1:8080';
const API_PREFIXES = [
  '/registry',
  '/verifier/requests',
  '/openid4vp',
  '/trust',
  '/.well-known',
  '/token',
  '/nonce',
  '/credential',
  '/credential-offer',
  '/offers',
  '/status',
  '/admin',
  '/authorize',
  '/log',
];

/**
 * One application, three areas by path: /wallet, /registrar, /verifier. The server serves dist/
 * (apps/server/src/web/web-routes.ts): hashed files under /assets/, index.html for every path of
 * the three areas. No inline script anywhere (CSP script-src 'self').
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    VitePWA({
      // The wallet's service worker: served from the root (so it may control /wallet) with scope
      // /wallet only, registered by the wallet page itself (never on the consoles).
      strategies: 'generateSW',
      filename: 'wallet-sw.js',
      scope: '/wallet',
      injectRegister: false,
      registerType: 'autoUpdate',
      manifestFilename: 'wallet.webmanifest',
      includeAssets: ['icon.svg'],
      manifest: {
        id: '/wallet',
        name: 'Trieste wallet',
        short_name: 'Wallet',
        description: 'Your credentials, on your device, shared only with your consent.',
        start_url: '/wallet',
        scope: '/wallet',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#12355b',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The whole shell is precached: the wallet opens and works offline after its first load.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/wallet(?:[/?#]|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // The API is never cached by the service worker: credentials and answers are not assets.
        runtimeCaching: [],
      },
      devOptions: { enabled: false },
    }),
    walletBudget(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No data: URLs for assets: every asset is a file the CSP's 'self' covers.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      output: {
        // @peculiar/x509 (a core dependency, for trust list certificates) imports the CommonJS
        // reflect-metadata before tsyringe, which checks for it at load; without source execution
        // order the ESM tsyringe body would run first and throw.
        strictExecutionOrder: true,
      },
    },
  },
  server: {
    proxy: Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target: api, changeOrigin: false }])),
  },
});
