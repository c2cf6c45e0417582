/**
 * Just enough protobuf encoding to write an ONNX ModelProto by hand, so the
 * test-model generator needs no `onnx`/`protobufjs` dependency. Field numbers
 * follow onnx/onnx.proto (IR version 7).
 */

/** ONNX TensorProto.DataType values used by the test model. */
export const TensorDataType = { FLOAT: 1, UINT8: 2, INT64: 7 } as const;

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const utf8 = new TextEncoder();

/** Appends protobuf fields to an in-memory buffer list; `finish()` concatenates them. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];

  /** int64/int32/enum field; negatives become 10-byte two's complement as protobuf requires. */
  varint(field: number, value: number | bigint): this {
    this.chunks.push(encodeVarint((field << 3) | WIRE_VARINT), encodeVarint(value));
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.chunks.push(encodeVarint((field << 3) | WIRE_LEN), encodeVarint(data.length), data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** Packed repeated varints (proto3 default for repeated scalars). */
  packed(field: number, values: readonly (number | bigint)[]): this {
    return this.bytes(field, concat(values.map((v) => encodeVarint(v))));
  }

  finish(): Uint8Array {
    return concat(this.chunks);
  }
}

function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Encodes a TensorProto whose payload is little-endian `raw_data`; empty `dims` is a scalar. */
export function tensorProto(t: { name: string; dataType: number; dims: readonly number[]; rawData: Uint8Array }): Uint8Array {
  const w = new ProtoWriter();
  if (t.dims.length > 0) w.packed(1, t.dims);
  return w.varint(2, t.dataType).string(8, t.name).bytes(9, t.rawData).finish();
}

/**
 * Encodes a ValueInfoProto for a dense tensor. String dims become symbolic
 * `dim_param`s so the runtime accepts any batch size / sequence length.
 */
export function valueInfoProto(v: { name: string; elemType: number; shape: readonly (number | string)[] }): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    shape.bytes(1, (typeof d === 'string' ? dim.string(2, d) : dim.varint(1, d)).finish());
  }
  const tensorType = new ProtoWriter().varint(1, v.elemType).bytes(2, shape.finish()).finish();
  const type = new ProtoWriter().bytes(1, tensorType).finish();
  return new ProtoWriter().string(1, v.name).bytes(2, type).finish();
}

/** Encodes an AttributeProto holding one int (type INT = 2). */
export function intAttribute(name: string, value: number): Uint8Array {
  return new ProtoWriter().string(1, name).varint(20, 2).varint(3, value).finish();
}

/** Encodes an AttributeProto holding a list of ints (type INTS = 7). */
export function intsAttribute(name: string, values: readonly number[]): Uint8Array {
  return new ProtoWriter().string(1, name).varint(20, 7).packed(8, values).finish();
}

/** Encodes a NodeProto in the default ("ai.onnx") domain. */
export function nodeProto(n: {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: readonly Uint8Array[];
}): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? n.outputs[0] ?? n.opType).string(4, n.opType);
  for (const a of n.attributes ?? []) w.bytes(5, a);
  return w.finish();
}

/** Encodes a GraphProto from already-encoded nodes, initializers and value infos. */
export function graphProto(g: {
  name: string;
  nodes: readonly Uint8Array[];
  initializers: readonly Uint8Array[];
  inputs: readonly Uint8Array[];
  outputs: readonly Uint8Array[];
}): Uint8Array {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.bytes(1, n);
  w.string(2, g.name);
  for (const t of g.initializers) w.bytes(5, t);
  for (const i of g.inputs) w.bytes(11, i);
  for (const o of g.outputs) w.bytes(12, o);
  return w.finish();
}

/** Encodes a ModelProto (defaults: IR version 7, default-domain opset 11). */
export function modelProto(m: { graph: Uint8Array; producerName: string; irVersion?: number; opsetVersion?: number }): Uint8Array {
  const opset = new ProtoWriter().string(1, '').varint(2, m.opsetVersion ?? 11).finish();
  return new ProtoWriter()
    .varint(1, m.irVersion ?? 7)
    .string(2, m.producerName)
    .bytes(7, m.graph)
    .bytes(8, opset)
    .finish();
}
