import protobuf from 'protobufjs';

/**
 * The part of onnx.proto (onnx 1.12, IR version 8) that our graphs use, with its field numbers unchanged.
 * protobufjs does the wire encoding; field names keep onnx.proto's spelling so the objects below read
 * like the Python `onnx` package's. Repeated scalars stay unpacked (proto2's default) except where
 * onnx.proto says `packed = true`, so a graph encodes to the same bytes as the `onnx` package writes.
 */
const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  optional string doc_string = 13;
  optional AttributeType type = 20;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
  optional string domain = 7;
}

message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
  repeated double double_data = 10 [packed = true];
  optional string doc_string = 12;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  domain?: string;
  attribute: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  string_data?: Uint8Array[];
}

/** A dimension is a size or a symbolic name such as the batch size "N". */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: OnnxDim[];
}

export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version: number;
  producer_name: string;
  producer_version: string;
  opset_import: { domain: string; version: number }[];
  graph: OnnxGraph;
  /** metadata_props, in file order. */
  metadata: [string, string][];
}

const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
const ModelProto = root.lookupType('onnx.ModelProto');

function valueInfoMessage(v: OnnxValueInfo) {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: v.elemType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Serializes a model to ONNX bytes. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const message = {
    ir_version: model.ir_version,
    producer_name: model.producer_name,
    producer_version: model.producer_version,
    graph: {
      node: model.graph.node.map((n) => ({ ...n, domain: n.domain || undefined })),
      name: model.graph.name,
      initializer: model.graph.initializer,
      input: model.graph.input.map(valueInfoMessage),
      output: model.graph.output.map(valueInfoMessage),
    },
    opset_import: model.opset_import,
    metadata_props: model.metadata.map(([key, value]) => ({ key, value })),
  };
  const err = ModelProto.verify(message);
  if (err) throw new Error(`internal: ONNX message does not fit onnx.proto: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

interface DecodedValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

/** Reads ONNX bytes back into the same plain shape (fields outside the subset above are dropped). */
export function decodeOnnx(bytes: Uint8Array): OnnxModel {
  const o = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true }) as Record<string, any>;
  const vi = (v: DecodedValueInfo): OnnxValueInfo => ({
    name: v.name ?? '',
    elemType: v.type?.tensor_type?.elem_type ?? 0,
    shape: (v.type?.tensor_type?.shape?.dim ?? []).map((d) => (d.dim_param !== undefined ? d.dim_param : (d.dim_value ?? 0))),
  });
  const g = o.graph ?? {};
  return {
    ir_version: o.ir_version ?? 0,
    producer_name: o.producer_name ?? '',
    producer_version: o.producer_version ?? '',
    opset_import: (o.opset_import ?? []).map((s: { domain?: string; version?: number }) => ({ domain: s.domain ?? '', version: s.version ?? 0 })),
    graph: {
      name: g.name ?? '',
      node: (g.node ?? []).map((n: Record<string, any>) => ({
        input: n.input ?? [],
        output: n.output ?? [],
        name: n.name ?? '',
        op_type: n.op_type ?? '',
        domain: n.domain ?? '',
        attribute: n.attribute ?? [],
      })),
      initializer: (g.initializer ?? []).map((t: Record<string, any>) => ({ dims: [], ...t })),
      input: (g.input ?? []).map(vi),
      output: (g.output ?? []).map(vi),
    },
    metadata: (o.metadata_props ?? []).map((p: { key?: string; value?: string }) => [p.key ?? '', p.value ?? ''] as [string, string]),
  };
}

/** A little-endian copy of the values, as TensorProto.raw_data stores them. */
export function rawDoubles(values: ArrayLike<number>): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return new Uint8Array(view.buffer);
}

export function rawInt64s(values: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return new Uint8Array(view.buffer);
}

/** The doubles of a DOUBLE tensor stored as raw_data. */
export function readDoubles(t: OnnxTensor): Float64Array {
  if (t.data_type !== DataType.DOUBLE || !t.raw_data) throw new Error(`tensor ${t.name}: expected raw double data`);
  const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
  return Float64Array.from({ length: t.raw_data.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
}
