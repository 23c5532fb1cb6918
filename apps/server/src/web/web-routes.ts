import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServerError } from '../http/errors.js';

/** Where the built web app is: apps/web/dist (`npm run build` writes it with Vite). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface WebRouteOptions {
  /** The built app (index.html, assets/); default apps/web/dist. */
  root?: string;
  /**
   * The installation's public URL (the issuer identifier). The pages may talk to their own origin
   * only (CSP), and the offers and requests they handle name this URL, so a page opened on another
   * loopback name of the same local server (127.0.0.1 for localhost) is sent to this one.
   */
  issuer?: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The issuer's origin when `host` is another loopback name of the same local server (the demo
 * prints http://127.0.0.1:8080 while its issuer is http://localhost:8080), else undefined.
 */
export function loopbackRedirect(issuer: string | undefined, host: string | undefined): string | undefined {
  if (!issuer || !host) return undefined;
  let own: URL;
  let asked: URL;
  try {
    own = new URL(issuer);
    asked = new URL(`${own.protocol}//${host}`);
  } catch {
    return undefined;
  }
  const same = own.hostname === asked.hostname && own.port === asked.port;
  if (same || own.port !== asked.port) return undefined;
  return LOOPBACK.has(own.hostname) && LOOPBACK.has(asked.hostname) ? own.origin : undefined;
}

/** The three areas of the one application; every path under each gets the app's index.html. */
export const WEB_AREAS = ['wallet', 'registrar', 'verifier'] as const;

/**
 * The pages' Content Security Policy: everything from this origin only, no inline script or style
 * (the build emits none), no plugins, no framing. Images may be data: (the server's QR codes) and
 * blob: (a paper ID preview, a scanned image); the camera stream is a MediaStream, not a URL.
 * `connect-src 'self'`: the pages talk to this server only.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the web app (wallet, registrar console, verifier console) from the built files: the
 * files themselves at their paths (/assets/…, /wallet-sw.js, /wallet.webmanifest, /icon.svg) and
 * index.html for /wallet, /registrar and /verifier and every path below them (the app routes by
 * path). The registry API lives under /registry and the relying-party API under /verifier/requests,
 * whose own routes are more specific and win. Not built yet: those paths answer NOT_FOUND saying so.
 */
export async function webRoutes(app: FastifyInstance, options: WebRouteOptions = {}): Promise<void> {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  const built = existsSync(join(root, 'index.html')) && statSync(root).isDirectory();

  await app.register(async (web) => {
    // After helmet's global headers: the pages get their own policy (helmet's default would add
    // upgrade-insecure-requests, which breaks a plain-http local installation).
    web.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', WEB_CSP);
      reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
      reply.header('referrer-policy', 'no-referrer');
      return payload;
    });

    const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
      const canonical = loopbackRedirect(options.issuer, request.headers.host);
      if (canonical) return reply.redirect(`${canonical}${request.url}`, 302);
      if (!built) throw new ServerError('NOT_FOUND', 'the web app is not built: run npm run build');
      return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
    };

    const assets = join(root, 'assets');
    if (built) {
      // Hashed bundles: looked up per request, so a rebuild's new file names are served at once.
      await web.register(fastifyStatic, {
        root: assets,
        prefix: '/assets/',
        wildcard: true,
        index: false,
        cacheControl: false,
        dotfiles: 'ignore',
        // This registration's sendFile also answers index.html (sendIndex): only assets are immutable.
        setHeaders: (reply, path) =>
          void reply.header(
            'cache-control',
            path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
          ),
      });
      // The few files at the top (service worker, manifest, icon): one route per file read at
      // start, no catch-all that could shadow the API.
      await web.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        globIgnore: ['assets/**'],
        index: false,
        cacheControl: false,
        dotfiles: 'ignore',
        decorateReply: false,
        setHeaders: (reply) => void reply.header('cache-control', 'no-cache'),
      });
    }
    const hidden = { schema: { hide: true } };
    for (const area of WEB_AREAS) {
      web.get(`/${area}`, hidden, (request, reply) => sendIndex(request, reply));
      web.get(`/${area}/`, hidden, (request, reply) => sendIndex(request, reply));
      // The relying-party API shares the /verifier prefix: the console has no sub-paths.
      if (area !== 'verifier') web.get(`/${area}/*`, hidden, (request, reply) => sendIndex(request, reply));
    }
    if (built) web.get('/', hidden, (_request, reply) => reply.redirect('/wallet', 302));
  });
}
