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
    weight files and in output file names.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Tessera_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tessera_Dialect, mnemonic, traits>;

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_TD
