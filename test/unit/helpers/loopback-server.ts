import http from 'node:http';
import net from 'node:net';
import { afterEach } from 'vitest';

/** One request as the server saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  /** Requests answered with a 2xx, by path. */
  stored: Map<string, Buffer>;
}

/**
 * HTTP servers on 127.0.0.1 that answer each request with `reply(request, index)`, closed (with
 * their open connections) after each test. Also `closedPort()`: a port nothing listens on.
 */
export function useLoopbackServers(): {
  start: (reply: (request: ReceivedRequest, index: number) => Reply) => Promise<LoopbackServer>;
  closedPort: () => Promise<number>;
} {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return {
    async start(reply) {
      const requests: ReceivedRequest[] = [];
      const stored = new Map<string, Buffer>();
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        const at = performance.now();
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at };
          requests.push(request);
          const answer = reply(request, requests.length - 1);
          if (answer.hang) return;
          if (answer.status >= 200 && answer.status < 300) stored.set(request.url.split('?')[0], request.body);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body ?? '');
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      return { origin: `http://127.0.0.1:${port}`, requests, stored };
    },
    async closedPort() {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as net.AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      return port;
    },
  };
}
