//===- TesseraDialect.td - Tessera dialect definition ------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_TD

include "mlir/IR/OpBase.td"

def Tessera_Dialect : Dialect {
  let name = "tessera";
  let cppNamespace = "::mlir::tessera";
  let summary = "Transformer building blocks: attention, MoE, samplers and "
                "the layers around them";
  let description = [{
    The `tessera` dialect describes the building blocks of transformer
    models on ranked tensors: linear layers, normalisations, activations,
    rotary embeddings, adaLN modulation, timestep embeddings and attention.
    Ops are value-semantic (no side effects) and are lowered by
    `convert-tessera-to-linalg` into `linalg`, `tensor`, `arith` and `math`,
    from which the Tessera pipelines produce CPU code.

    Entry-function arguments and results may carry a
    `tessera.name = "..."` attribute: it names the tensor in the generated
    executable's command line (`--input NAME=FILE.npy`), in safetensors
    weight files and in output file names. A name matches
    `[A-Za-z_][A-Za-z0-9_.-]*`, is at most 200 bytes long and is unique
    among the arguments and results of its function; the verifier rejects
    anything else, so a name is always safe as a file name and on a
    command line.

    A module may carry `tessera.target = #tessera.cpu_target<...>`: the
    CPU its kernels are built for (see the attribute).
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
}

/// Every tensor an op takes or returns has a byte size of at most 2^62, so
/// no element count, offset or byte size computed from its shape overflows
/// a signed 64-bit integer.
def Tessera_BoundedTensorSizes : NativeOpTrait<"BoundedTensorSizes"> {
  let cppNamespace = "::mlir::tessera::trait";
}

class Tessera_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tessera_Dialect, mnemonic,
         !listconcat(traits, [Tessera_BoundedTensorSizes])>;

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_TD
