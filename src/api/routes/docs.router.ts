import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

// swagger-ui-dist ships its browser bundle; serving it from node_modules keeps /docs working on
// networks without internet access (no CDN), which is the usual case in an authority.
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist that /docs loads. */
const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>xoev-ai-gateway API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// The initializer is a separate file, not an inline script, so a strict Content-Security-Policy
// (script-src 'self') can stay on.
const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
};
`;

/** GET /openapi.json (the contract as JSON) and GET /docs (Swagger UI over it, served locally). */
export function docsRouter(contractJson: string): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(contractJson);
  });
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('text/html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(INIT);
  });
  // Only the two files the page loads; the rest of the package (its package.json, source maps,
  // other bundles) is not ours to publish.
  for (const file of DOCS_ASSETS) {
    router.get(`/docs/assets/${file}`, (_req, res) => {
      res.sendFile(join(SWAGGER_DIR, file), { maxAge: '1d' });
    });
  }
  return router;
}
