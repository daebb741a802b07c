// A scripted, stateless stand-in for the Anthropic Messages API, good enough to drive the real
// Claude Code CLI. Every request is recorded; the script decides each assistant message from the
// request alone (the turn is the number of assistant messages already in it), so the CLI's retries,
// subagents and side requests need no server-side state.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One content block of a scripted assistant message. */
export type AssistantBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The parts of a Messages request a script looks at. `system` is flattened to one string. */
export interface MessagesRequest {
  model: string;
  system: string;
  messages: ApiMessage[];
  toolNames: string[];
  stream: boolean;
}

export interface ApiMessage {
  role: string;
  content: string | Array<Record<string, unknown>>;
}

/**
 * Given a request, the content of the next assistant message, or undefined when the script has
 * nothing for it (the server then answers a plain text end_turn and counts it as unscripted).
 */
export type Script = (req: MessagesRequest) => AssistantBlock[] | undefined;

export interface RecordedRequest {
  method: string;
  /** Path without the query string (the CLI adds `?beta=true`). */
  path: string;
  query: string;
  body: unknown;
  /** True when the script had no answer and the fallback reply was sent. */
  unscripted: boolean;
}

export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const FALLBACK_TEXT = 'OK.';

export function startFakeAnthropic(script: Script): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parseJson(raw);
      const record: RecordedRequest = { method: req.method ?? 'GET', path, query, body, unscripted: false };
      requests.push(record);
      try {
        respond(record, script, res);
      } catch (err) {
        // A script bug must surface in the test, not as a hung CLI: answer 500 with the reason.
        record.unscripted = true;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function respond(record: RecordedRequest, script: Script, res: http.ServerResponse): void {
  if (record.method === 'POST' && record.path === '/v1/messages') {
    const req = toMessagesRequest(record.body);
    const scripted = script(req);
    if (scripted === undefined) record.unscripted = true;
    const blocks = scripted ?? [{ type: 'text', text: FALLBACK_TEXT }];
    if (req.stream) writeStream(res, req.model, blocks);
    else writeJson(res, 200, messageObject(req.model, blocks));
    return;
  }
  if (record.method === 'POST' && record.path === '/v1/messages/count_tokens') {
    writeJson(res, 200, { input_tokens: 100 });
    return;
  }
  // HEAD / (connectivity probe) and anything else: a harmless 200 so nothing waits or retries.
  if (!(record.method === 'HEAD' && record.path === '/')) record.unscripted = true;
  writeJson(res, 200, {});
}

/** The script's view of a recorded request body. */
export function toMessagesRequest(body: unknown): MessagesRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const messages = Array.isArray(b.messages) ? (b.messages as ApiMessage[]) : [];
  const tools = Array.isArray(b.tools) ? (b.tools as Array<{ name?: unknown }>) : [];
  return {
    model: typeof b.model === 'string' ? b.model : 'claude-fake',
    system: flattenText(b.system),
    messages,
    toolNames: tools.map((t) => (typeof t.name === 'string' ? t.name : '')),
    stream: b.stream === true,
  };
}

/** Text of a `system` field or a message `content`: a string or an array of blocks with `text`. */
export function flattenText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value
    .map((block) => (typeof block === 'object' && block !== null && typeof block.text === 'string' ? block.text : ''))
    .join('\n');
}

export interface ToolResult {
  toolUseId: string;
  text: string;
  isError: boolean;
}

/** Every tool_result the CLI sent back to the model, by tool_use_id (later requests repeat earlier ones). */
export function toolResults(requests: RecordedRequest[]): Map<string, ToolResult> {
  const results = new Map<string, ToolResult>();
  for (const record of requests) {
    if (record.path !== '/v1/messages') continue;
    for (const message of toMessagesRequest(record.body).messages) {
      if (message.role !== 'user' || typeof message.content === 'string') continue;
      for (const block of message.content) {
        if (block.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue;
        results.set(block.tool_use_id, {
          toolUseId: block.tool_use_id,
          text: flattenText(block.content),
          isError: block.is_error === true,
        });
      }
    }
  }
  return results;
}

function stopReason(blocks: AssistantBlock[]): 'tool_use' | 'end_turn' {
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

let messageCounter = 0;
function messageId(): string {
  messageCounter += 1;
  return `msg_e2e_${String(messageCounter).padStart(4, '0')}`;
}

function messageObject(model: string, blocks: AssistantBlock[]): Record<string, unknown> {
  return {
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stopReason(blocks),
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20 },
  };
}

function writeJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function writeStream(res: http.ServerResponse, model: string, blocks: AssistantBlock[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: string, data: Record<string, unknown>): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  const start = messageObject(model, []);
  send('message_start', {
    message: { ...start, stop_reason: null, usage: { input_tokens: 100, output_tokens: 1 } },
  });
  send('ping', {});
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      send('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason: stopReason(blocks), stop_sequence: null },
    usage: { output_tokens: 20 },
  });
  send('message_stop', {});
  res.end();
}

function parseJson(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
