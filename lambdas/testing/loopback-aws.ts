import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/types';

/** A request as the SDK really sent it, with the host it was addressed to before the redirect. */
export interface SeenRequest {
  method: string;
  host: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * A loopback HTTP server that plays an AWS endpoint: every request is recorded, `respond` answers it.
 * SDK clients reach it through `requestHandler`, which keeps the request exactly as the SDK built and
 * signed it (host header, path, body) and only sends it to 127.0.0.1 over plain HTTP.
 */
export class LoopbackAws {
  readonly requests: SeenRequest[] = [];
  private readonly server: http.Server;
  private respond: (req: SeenRequest) => Reply;

  private constructor(respond: (req: SeenRequest) => Reply) {
    this.respond = respond;
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen: SeenRequest = {
          method: req.method ?? '',
          host: String(req.headers.host ?? ''),
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        this.requests.push(seen);
        let reply: Reply;
        try {
          reply = this.respond(seen);
        } catch (err) {
          reply = { status: 599, body: String(err) };
        }
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body ?? '');
      });
    });
  }

  static async start(respond: (req: SeenRequest) => Reply): Promise<LoopbackAws> {
    const lb = new LoopbackAws(respond);
    await new Promise<void>((resolve) => lb.server.listen(0, '127.0.0.1', resolve));
    return lb;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Replace the responder (e.g. to fail the first call and succeed later). */
  onRequest(respond: (req: SeenRequest) => Reply): void {
    this.respond = respond;
  }

  /** Pass as `requestHandler` to an SDK client. */
  get requestHandler() {
    const inner = new NodeHttpHandler();
    const port = this.port;
    return {
      handle: (request: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: HttpResponse }> => {
        request.protocol = 'http:';
        request.hostname = '127.0.0.1';
        request.port = port;
        return inner.handle(request as never, options as never);
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      destroy: () => inner.destroy(),
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Static credentials and a region, so that the SDK signs without looking anything up. */
export const TEST_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' },
} as const;
