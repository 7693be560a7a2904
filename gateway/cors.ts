import http from 'node:http';

/**
 * Cross-origin access for frontend applications: only origins on the allow-list (CORS_ORIGINS)
 * get CORS headers; a preflight from any other origin is refused. Same-origin and non-browser
 * clients send no Origin and are not affected.
 */
export interface CorsOptions {
  /**
   * Origins such as `https://dashboard.timpora.go.id` that may call from a browser.
   * @default [] (no cross-origin caller)
   */
  allowedOrigins?: string[];
}

export function useCors({ allowedOrigins = [] }: CorsOptions = {}) {
  const allowed = new Set(allowedOrigins);
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (!origin) return false;
    const permitted = allowed.has(origin);
    if (permitted) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-allow-credentials', 'true');
    }
    if (req.method !== 'OPTIONS') return false;
    if (permitted) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader(
        'access-control-allow-headers',
        'authorization, content-type, apollo-require-preflight, x-request-id',
      );
      res.setHeader('access-control-max-age', '600');
    }
    res.statusCode = permitted ? 204 : 403;
    res.end();
    return true;
  };
}
