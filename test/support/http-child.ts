/**
 * The bot's HTTP server (with /healthz ready) in a process of its own, so a test can run it
 * under a low file-descriptor limit. Prints its port on stdout; stops on SIGTERM.
 */
import { createHealth } from '../../src/http/health.js';
import { startHttpServer } from '../../src/http/server.js';

const health = createHealth();
health.markReady({ about: { description: { en: 'the news coverage of Putin’s visits to Dushanbe' }, topics: { en: 'trade, security, migration, the summit and the people involved' }, examples: { en: ["How much was Russia's trade with the five Central Asian states last year?"] } }, modelId: 'test-model', dimensions: 8, builtAt: '2026-01-01T00:00:00.000Z', articles: 5, chunks: 40, sources: [] });
const http = await startHttpServer({ port: 0, host: '127.0.0.1', routes: [health.route] });
process.stdout.write(`${http.port}\n`);
process.on('SIGTERM', () => {
  http.server.closeAllConnections();
  void http.close().then(() => process.exit(0));
});
