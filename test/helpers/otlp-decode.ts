// Decodes OTLP/HTTP logs requests (ExportLogsServiceRequest) as a collector would, for the OTLP
// export tests. Independent of our sender: JSON is read into the OpenTelemetry package's own request
// type; protobuf with the package's own wire reader (ProtobufReader, @opentelemetry/otlp-transformer)
// and the field numbers of opentelemetry-proto (collector/logs/v1, logs/v1, common/v1, resource/v1).
// The package ships a serializer for requests but no decoder, so the message walk is written here.
// And `receiver`: an OTLP/HTTP endpoint on a loopback port that keeps and decodes what it is sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProtobufReader } from '@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader.js';
import type { IAnyValue, IKeyValue } from '@opentelemetry/otlp-transformer/build/src/common/internal-types.js';
import type { IExportLogsServiceRequest } from '@opentelemetry/otlp-transformer/build/src/logs/internal-types.js';

export type Attr = string | number | boolean | null;

/** One log record, flattened: what a collector's debug exporter would show. */
export interface DecodedLog {
  resource: Record<string, Attr>;
  scope: { name: string; version: string };
  time_ns: bigint;
  observed_ns: bigint;
  severity_number: number;
  severity_text: string;
  event_name: string;
  body: Attr;
  attributes: Record<string, Attr>;
}

const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** Walks the fields of one message; `on` gets the field number, wire type and a reader at the value. */
function fields(buf: Uint8Array, on: (field: number, wire: number, r: ProtobufReader, buf: Uint8Array) => boolean): void {
  const r = new ProtobufReader(buf);
  while (!r.isAtEnd()) {
    const { fieldNumber, wireType } = r.readTag();
    if (!on(fieldNumber, wireType, r, buf)) r.skip(wireType);
  }
}

function fixed64(r: ProtobufReader, buf: Uint8Array): bigint {
  const v = new DataView(buf.buffer, buf.byteOffset + r.pos, 8).getBigUint64(0, true);
  r.skip(WIRE.I64);
  return v;
}

function anyValue(buf: Uint8Array): IAnyValue {
  const v: IAnyValue = {};
  fields(buf, (f, w, r, b) => {
    if (f === 1 && w === WIRE.LEN) v.stringValue = r.readString();
    else if (f === 2 && w === WIRE.VARINT) v.boolValue = r.readVarint() !== 0;
    else if (f === 3 && w === WIRE.VARINT) v.intValue = r.readVarint();
    else if (f === 4 && w === WIRE.I64) {
      v.doubleValue = new DataView(b.buffer, b.byteOffset + r.pos, 8).getFloat64(0, true);
      r.skip(WIRE.I64);
    } else return false;
    return true;
  });
  return v;
}

function keyValue(buf: Uint8Array): IKeyValue {
  const kv: IKeyValue = { key: '', value: {} };
  fields(buf, (f, w, r) => {
    if (f === 1 && w === WIRE.LEN) kv.key = r.readString();
    else if (f === 2 && w === WIRE.LEN) kv.value = anyValue(r.readBytes());
    else return false;
    return true;
  });
  return kv;
}

/** Protobuf → the same request shape the JSON encoding has (times as decimal strings). */
export function decodeLogsProtobuf(buf: Uint8Array): IExportLogsServiceRequest {
  const request: IExportLogsServiceRequest = { resourceLogs: [] };
  fields(buf, (f, w, r) => {
    if (f !== 1 || w !== WIRE.LEN) return false;
    const rl: NonNullable<IExportLogsServiceRequest['resourceLogs']>[number] = { resource: { attributes: [], droppedAttributesCount: 0 }, scopeLogs: [] };
    fields(r.readBytes(), (f2, w2, r2) => {
      if (f2 === 1 && w2 === WIRE.LEN) {
        fields(r2.readBytes(), (f3, w3, r3) => {
          if (f3 !== 1 || w3 !== WIRE.LEN) return false;
          rl.resource!.attributes.push(keyValue(r3.readBytes()));
          return true;
        });
      } else if (f2 === 2 && w2 === WIRE.LEN) {
        const sl: (typeof rl.scopeLogs)[number] = { scope: { name: '', version: '' }, logRecords: [] };
        fields(r2.readBytes(), (f3, w3, r3) => {
          if (f3 === 1 && w3 === WIRE.LEN) {
            fields(r3.readBytes(), (f4, w4, r4) => {
              if (f4 === 1 && w4 === WIRE.LEN) sl.scope!.name = r4.readString();
              else if (f4 === 2 && w4 === WIRE.LEN) sl.scope!.version = r4.readString();
              else return false;
              return true;
            });
          } else if (f3 === 2 && w3 === WIRE.LEN) {
            const rec = { timeUnixNano: '0', observedTimeUnixNano: '0', attributes: [] as IKeyValue[], droppedAttributesCount: 0 } as NonNullable<typeof sl.logRecords>[number];
            fields(r3.readBytes(), (f4, w4, r4, b4) => {
              if (f4 === 1 && w4 === WIRE.I64) rec.timeUnixNano = String(fixed64(r4, b4));
              else if (f4 === 11 && w4 === WIRE.I64) rec.observedTimeUnixNano = String(fixed64(r4, b4));
              else if (f4 === 2 && w4 === WIRE.VARINT) rec.severityNumber = r4.readVarint();
              else if (f4 === 3 && w4 === WIRE.LEN) rec.severityText = r4.readString();
              else if (f4 === 5 && w4 === WIRE.LEN) rec.body = anyValue(r4.readBytes());
              else if (f4 === 6 && w4 === WIRE.LEN) rec.attributes.push(keyValue(r4.readBytes()));
              else if (f4 === 12 && w4 === WIRE.LEN) rec.eventName = r4.readString();
              else return false;
              return true;
            });
            sl.logRecords!.push(rec);
          } else return false;
          return true;
        });
        rl.scopeLogs.push(sl);
      } else return false;
      return true;
    });
    request.resourceLogs!.push(rl);
    return true;
  });
  return request;
}

export function decodeLogsJson(text: string): IExportLogsServiceRequest {
  return JSON.parse(text) as IExportLogsServiceRequest;
}

function value(v: IAnyValue | undefined): Attr {
  if (!v) return null;
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue;
  if (v.intValue != null) return Number(v.intValue);
  if (v.doubleValue != null) return v.doubleValue;
  return null;
}

function attrs(kvs: readonly IKeyValue[] | undefined): Record<string, Attr> {
  const out: Record<string, Attr> = {};
  for (const kv of kvs ?? []) out[kv.key] = value(kv.value);
  return out;
}

/** Either encoding's request → flat records, in request order. */
export function flattenLogs(request: IExportLogsServiceRequest): DecodedLog[] {
  const out: DecodedLog[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attrs(rl.resource?.attributes);
    for (const sl of rl.scopeLogs) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          resource,
          scope: { name: sl.scope?.name ?? '', version: sl.scope?.version ?? '' },
          time_ns: BigInt(String(r.timeUnixNano)),
          observed_ns: BigInt(String(r.observedTimeUnixNano)),
          severity_number: Number(r.severityNumber ?? 0),
          severity_text: r.severityText ?? '',
          event_name: r.eventName ?? '',
          body: value(r.body),
          attributes: attrs(r.attributes),
        });
      }
    }
  }
  return out;
}


export interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** An OTLP/HTTP receiver on a free loopback port; `answer(n)` gives the status of the n-th request (0-based). */
export async function receiver(answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks) });
      const { status, headers } = answer(n);
      const json = received[n]!.contentType.includes('json');
      res.writeHead(status, { 'content-type': json ? 'application/json' : 'application/x-protobuf', ...headers });
      res.end(json && status === 200 ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const decoded = (): DecodedLog[] =>
    received.flatMap((r) => flattenLogs(r.contentType.includes('json') ? decodeLogsJson(r.body.toString('utf8')) : decodeLogsProtobuf(new Uint8Array(r.body))));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, received, decoded, close };
}
