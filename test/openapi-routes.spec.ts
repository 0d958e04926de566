import { startTestStack, type TestStack } from './support/test-stack';

interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/**
 * Routes that are not the API's: the OpenAPI document itself and its UI (/docs, /docs/json,
 * /docs-yaml), and middleware Nest mounts as a wildcard route (the Open311 form parser on
 * `open311/v2/*path`); no controller route has a wildcard.
 */
const NOT_API = /^\/docs([/-]|$)|\*/;

/** Every route Express knows, as `METHOD /openapi/{path}` (Nest's `:param` as `{param}`). */
function appRoutes(stack: TestStack): string[] {
  const router = (stack.api.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  const routes = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route || NOT_API.test(layer.route.path)) continue;
    const path = layer.route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${path}`);
  }
  return [...routes].sort();
}

/**
 * The console's client and any city app are generated from /docs/json: a route that is not in it,
 * or whose success answer is not described, cannot be called from them. This walks every route
 * the running app registered (Express's router, after Nest mounted every controller) against the
 * document; test/openapi-views.spec.ts checks that the described answers are the real ones.
 */
describe('OpenAPI document: every route of the app, with its success answer', () => {
  let stack: TestStack;
  let doc: OpenApi;
  let routes: string[];

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    doc = (await stack.http.get('/docs/json').expect(200)).body;
    routes = appRoutes(stack);
  });
  afterAll(() => stack?.close());

  const documented = (): string[] => Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)).sort();

  it('finds the routes (the walk itself works)', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes).toEqual(expect.arrayContaining(['GET /tickets/{number}', 'POST /t/{number}/rating', 'POST /t/{number}/closure-check', 'GET /health', 'GET /me']));
  });

  it('every route is in the document, and the document names no route the app lacks', () => {
    expect(routes.filter((route) => !documented().includes(route))).toEqual([]);
    expect(documented().filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('every route documents a 2xx answer; every answer with a body says its media type and schema', () => {
    const gaps: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const responses = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
      const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) gaps.push(`${route}: no 2xx answer`);
      for (const [status, response] of success) {
        if (status === '204') continue;
        const content = Object.entries(response.content ?? {});
        if (content.length === 0) gaps.push(`${route} ${status}: no body described`);
        for (const [mediaType, body] of content) if (!body.schema) gaps.push(`${route} ${status} ${mediaType}: no schema`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('the citizen’s routes are there: the tracking page, the rating and the closure check', () => {
    expect(doc.paths['/t/{number}/rating']?.post?.responses['201']?.content?.['application/json']?.schema).toBeDefined();
    expect(doc.paths['/t/{number}/closure-check']?.post?.responses['200']?.content?.['application/json']?.schema).toBeDefined();
    expect(doc.paths['/t/{number}']?.get?.responses['200']?.content?.['text/html']).toBeDefined();
  });
});
