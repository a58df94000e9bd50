//===- TesseraInterfaces.td - Tessera interfaces -----------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD

include "mlir/IR/OpBase.td"

def Tessera_MaskAttrInterface : AttrInterface<"MaskAttrInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    An attention mask described by an attribute. Positions are absolute:
    query `i` of the op sits at position `i + shift`, where the shift is the
    `q_offset` operand, or `Sk - Sq` without one (bottom-right alignment, so
    a decode step's single query sees the whole cache under a causal mask).
    Key `j` sits at position `j`.

    A mask answers two questions. At compile time, `classifyTile` says
    whether a tile of positions is empty (never visited), full (computed
    without any mask arithmetic) or partial (the predicate is evaluated per
    element); answering "partial" is always correct, only slower, while
    "empty" and "full" must be exact. At run time, `buildAllowed` emits the
    per-element predicate; its operands are i64 scalars or vectors of one
    shape, and so is its i1 result.

    Contracts: `classifyTile` and `isAllowed` take constant time (closed
    forms, no enumeration of positions) and are exact for every int64
    argument and every attribute value (no signed overflow: compare
    differences with overflow checks or saturating arithmetic). The
    lowering only passes positions with |q|, |k| < 2^62 to `buildAllowed`
    (`q_offset` is clamped to ±2^61, sequences are at most 2^40 long), so
    a predicate built from differences of positions, floor divisions by
    positive attribute values and comparisons with attribute values cannot
    wrap in i64; a new mask must keep that property.

    A new mask is one attribute definition implementing these methods.
  }];
  let methods = [
    InterfaceMethod<[{
        Classifies the tile of query positions [q0, q1) and key positions
        [k0, k1) (an empty range gives Empty).
      }], "::mlir::tessera::TileKind", "classifyTile",
      (ins "int64_t":$q0, "int64_t":$q1, "int64_t":$k0, "int64_t":$k1)>,
    InterfaceMethod<[{
        Whether query position `q` may attend key position `k`.
      }], "bool", "isAllowed", (ins "int64_t":$q, "int64_t":$k)>,
    InterfaceMethod<[{
        Emits the predicate of `isAllowed` on i64 values (scalars or
        vectors of one shape).
      }], "::mlir::Value", "buildAllowed",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$q, "::mlir::Value":$k)>
  ];
}

def Tessera_RoutingAttrInterface : AttrInterface<"RoutingAttrInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    How `tessera.moe` assigns tokens to routed experts. Every routing mode
    produces, for each token t of the flattened input (T tokens), a list
    of (expert e, weight w) pairs; the op's result is
    `y_t = Σ w · FFN_e(x_t) + Σ_s SharedFFN_s(x_t)`. A mode may need a
    router weight operand and a run-time selector operand (`task` or
    `category`), may let experts pick tokens instead of tokens picking
    experts, and may cap the tokens each expert processes (its capacity).

    Contracts: the methods take constant time or time linear in the
    attribute's own tables (never in the tensor sizes), and every size
    they compute is overflow-checked: a product or a conversion that does
    not fit in int64 is reported, never wrapped.

    A new routing mode is one attribute definition implementing these
    methods (plus its case in the grouped lowering's routing builder, which
    consumes `RoutingPlan`).
  }];
  let methods = [
    InterfaceMethod<[{
        Checks the operands this mode uses and rejects those it does not
        take, with one `emitOpError` per rule on `op`. `numExperts` (E)
        and `modelDim` (d) come from the expert weights, `batch` (B) from
        the input ([B, N, d], or 1 for [T, d]); any of them may be
        `ShapedType::kDynamic`. `router`, `task` and `category` are null
        when absent.
      }], "::llvm::LogicalResult", "verifyOperands",
      (ins "::mlir::Operation *":$op, "int64_t":$numExperts,
           "int64_t":$modelDim, "int64_t":$batch, "::mlir::Value":$router,
           "::mlir::Value":$task, "::mlir::Value":$category)>,
    InterfaceMethod<[{
        Whether the op's `capacity_factor` attribute applies to this mode
        (modes whose capacity is part of the attribute, or that have no
        capacity, reject it).
      }], "bool", "acceptsCapacityFactor", (ins)>,
    InterfaceMethod<[{
        Describes the routing for T = `numTokens` tokens and E =
        `numExperts` experts (both >= 1, static) with the op's optional
        capacity factor: the per-token slot count K, the per-expert
        capacity C and how the (expert, weight) table is built (see
        `RoutingPlan`). Fails (emitting nothing) when a size overflows
        int64 or the factor is not finite and positive; the op verifier
        reports that.
      }], "::mlir::FailureOr<::mlir::tessera::RoutingPlan>", "describeRouting",
      (ins "int64_t":$numTokens, "int64_t":$numExperts,
           "std::optional<double>":$capacityFactor)>
  ];
}

def Tessera_SchedulerAttrInterface : AttrInterface<"SchedulerAttrInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    A diffusion sampling scheduler (`tessera.sample`,
    `tessera.scheduler_step`). Every scheduler step is affine in the
    tensors it combines, with per-step coefficients that depend only on
    the configuration and the number of inference steps:

    ```
    model_input = S[i] · x              (timestep T[i])
    x_prev      = A[i] · x + B[i] · model_output + C[i] · noise + D[i] · h
    h_next      = P[i] · x + Q[i] · model_output
    ```

    (h: the multistep state, e.g. DPM-Solver++'s previous data
    prediction). A scheduler computes these tables once, in float64, at
    compile time (`getSchedule`); the lowering embeds them as constants and
    emits one fused elementwise pass per step. A new scheduler is one
    attribute definition implementing this method.
  }];
  let methods = [
    InterfaceMethod<[{
        The tables for `numSteps` inference steps, or a diagnostic through
        `emitError` (numSteps < 1, more steps than training timesteps, a
        configuration the scheduler does not define). Time and memory are
        linear in the training timesteps and `numSteps`.
      }], "::mlir::FailureOr<::mlir::tessera::SamplingSchedule>", "getSchedule",
      (ins "int64_t":$numSteps,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>
  ];
}

def Tessera_DecomposableOpInterface : OpInterface<"DecomposableOpInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    A composite op that rewrites itself into core tessera ops and standard
    dialects (the `tessera-decompose` pass calls this for every op that
    implements it, in the `decompose` phase).
  }];
  let methods = [
    InterfaceMethod<[{
        Replaces the op by its decomposition; on failure, emits a diagnostic
        and leaves the IR unchanged.
      }], "::llvm::LogicalResult", "decompose",
      (ins "::mlir::RewriterBase &":$rewriter)>
  ];
}

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD
