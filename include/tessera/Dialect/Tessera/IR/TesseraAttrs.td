//===- TesseraAttrs.td - Tessera attributes and enums ------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "tessera/Dialect/Tessera/IR/TesseraDialect.td"
include "tessera/Dialect/Tessera/IR/TesseraInterfaces.td"

def Tessera_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how tessera.gelu evaluates the Gaussian CDF", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_GeluApproximationAttr
    : EnumAttr<Tessera_Dialect, Tessera_GeluApproximation, "gelu_approximation">;

//===----------------------------------------------------------------------===//
// Attention masks
//===----------------------------------------------------------------------===//

class Tessera_MaskAttr<string name, string attrMnemonic>
    : AttrDef<Tessera_Dialect, name,
              [DeclareAttrInterfaceMethods<Tessera_MaskAttrInterface>]> {
  let mnemonic = attrMnemonic;
}

def Tessera_CausalMaskAttr : Tessera_MaskAttr<"CausalMask", "causal"> {
  let summary = "causal mask: key position <= query position";
  let description = [{
    `#tessera.causal` lets query position `q` see keys `k <= q`. With the
    bottom-right alignment of `tessera.attention`, a decode step (Sq < Sk)
    sees the whole cache.
  }];
}

def Tessera_SlidingWindowMaskAttr
    : Tessera_MaskAttr<"SlidingWindowMask", "sliding_window"> {
  let summary = "local band: q - left <= k <= q + right";
  let description = [{
    `#tessera.sliding_window<left = 256, right = 0>` is causal sliding-window
    attention over the last 257 positions; `right > 0` looks ahead. Any
    value up to 9223372036854775807 (INT64_MAX) is exact: `left =
    9223372036854775807, right = 0` is an unbounded causal mask.
  }];
  let parameters = (ins "int64_t":$left, "int64_t":$right);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_BlockCausalMaskAttr
    : Tessera_MaskAttr<"BlockCausalMask", "block_causal"> {
  let summary = "frame-causal mask: k / frame <= q / frame";
  let description = [{
    `#tessera.block_causal<frame = 256>`: tokens come in frames of `frame`
    positions; a query sees every key of its own frame and of earlier
    frames (next-frame video diffusion).
  }];
  let parameters = (ins "int64_t":$frame);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_BlockDiagonalMaskAttr
    : Tessera_MaskAttr<"BlockDiagonalMask", "block_diagonal"> {
  let summary = "block-diagonal mask: k / block == q / block";
  let description = [{
    `#tessera.block_diagonal<block = 64>`: tokens attend only within their
    own block of `block` positions (part-level / hierarchical attention).
  }];
  let parameters = (ins "int64_t":$block);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_Neighborhood2DMaskAttr
    : Tessera_MaskAttr<"Neighborhood2DMask", "neighborhood_2d"> {
  let summary = "2-D neighbourhood on a row-major H×W token grid";
  let description = [{
    `#tessera.neighborhood_2d<height = 16, width = 16, radius_h = 2,
    radius_w = 2>`: position `p` is grid cell `(p / width, p % width)`
    (positions past the grid continue the row-major numbering); a query sees
    keys with `|Δrow| <= radius_h` and `|Δcol| <= radius_w` (a local
    perception field). `height` documents the grid and does not change
    the predicate. Tiles are classified in closed form (constant work per
    tile pair, exact for any 64-bit parameters).
  }];
  let parameters = (ins "int64_t":$height, "int64_t":$width,
                        "int64_t":$radius_h, "int64_t":$radius_w);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_AllOfMaskAttr : Tessera_MaskAttr<"AllOfMask", "all_of"> {
  let summary = "conjunction of masks";
  let description = [{
    `#tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 128,
    right = 0>]>` allows a pair when every listed mask does.

    Limits (for `all_of` and `any_of`): masks nest at most 32 levels deep
    (the parser refuses a deeper nesting before descending into it), and a
    mask holds at most 256 masks in all, counting every use of a repeated
    (aliased) mask. Both bound the predicate the lowering emits and the
    work of classifying tiles.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$masks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Tessera_AnyOfMaskAttr : Tessera_MaskAttr<"AnyOfMask", "any_of"> {
  let summary = "disjunction of masks";
  let description = [{
    `#tessera.any_of<[...]>` allows a pair when at least one listed mask
    does (e.g. a local window plus global leading tokens). Nesting and
    size limits as for `all_of`.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$masks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Mixture-of-Experts routing
//===----------------------------------------------------------------------===//

def Tessera_TopKOrder : I32EnumAttr<"TopKOrder",
    "where token-choice routing applies the softmax", [
      I32EnumAttrCase<"softmax_then_topk", 0>,
      I32EnumAttrCase<"topk_then_softmax", 1>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_MoeActivation : I32EnumAttr<"MoeActivation",
    "the expert MLP's activation", [
      I32EnumAttrCase<"gelu", 0>,
      I32EnumAttrCase<"silu", 1>,
      I32EnumAttrCase<"swiglu", 2>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_MoeActivationAttr
    : EnumAttr<Tessera_Dialect, Tessera_MoeActivation, "moe_activation">;

/// `true` / `false` (default `default`).
class Tessera_BoolParameter<string default, string desc = "">
    : DefaultValuedParameter<"bool", default, desc> {
  let parser = "::mlir::tessera::parseBoolParameter($_parser)";
  let printer = "$_printer << ($_self ? \"true\" : \"false\")";
}

/// A float literal held as an IEEE double.
def Tessera_DoubleParameter : AttrParameter<"::llvm::APFloat", "a float literal"> {
  let parser = "::mlir::tessera::parseDoubleParameter($_parser)";
  let printer = "$_printer.printFloat($_self)";
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
}

class Tessera_RoutingAttr<string name, string attrMnemonic>
    : AttrDef<Tessera_Dialect, name,
              [DeclareAttrInterfaceMethods<Tessera_RoutingAttrInterface>]> {
  let mnemonic = attrMnemonic;
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_TokenChoiceRoutingAttr
    : Tessera_RoutingAttr<"TokenChoiceRouting", "token_choice"> {
  let summary = "token-choice top-k routing (GShard, Switch, Mixtral, M³ViT)";
  let description = [{
    `#tessera.token_choice<k = 2, order = topk_then_softmax>`: every token
    picks its k experts. With the router `W_g` ([E, d], operand
    `router`), token t's logits are `l = x_t · W_gᵀ` ([E]; no bias, no
    temperature).

    * Selection: the k experts with the largest logits, in the strict
      total order "NaN first (as in `torch.topk`), then larger logit
      first, equal logits (or two NaNs) to the lower expert index". The
      selection always compares logits, also for `softmax_then_topk`:
      softmax is monotone, so this is the top-k of the probabilities
      without ties created by rounding.
    * `order = softmax_then_topk` (default; GShard, Switch Transformer,
      M³ViT / Edge-MoE): `p = softmax(l)` over all E experts (max
      subtracted), and expert e_i gets weight `p[e_i]`, so the k weights
      sum to less than 1. With `renormalize = true` they are divided by
      their sum (GShard's top-2 gating), which is mathematically
      `topk_then_softmax`.
    * `order = topk_then_softmax` (Mixtral: `softmax(topk(logits))`): the
      weights are the softmax of the k selected logits and sum to 1.
      `renormalize` is rejected here (the weights already sum to 1).

    Capacity: without the op's `capacity_factor` routing is dropless.
    With factor c, each expert processes at most
    `C = min(T, ceil(k · T · c / E))` tokens (T = all tokens of the input,
    B·N; `k · T` is overflow-checked, the rest evaluated in double); an
    expert's assignments are kept in token order (t = 0, 1, ...), the
    first C kept and the rest dropped: a dropped slot contributes nothing
    and the remaining weights are not renormalised (Switch Transformer,
    GShard with token-order priority).

    Verifier: 1 <= k (here), k <= E (on the op).
  }];
  let parameters = (ins "int64_t":$k,
      DefaultValuedParameter<"::mlir::tessera::TopKOrder",
                             "::mlir::tessera::TopKOrder::softmax_then_topk">:$order,
      Tessera_BoolParameter<"false">:$renormalize);
}

def Tessera_ExpertChoiceRoutingAttr
    : Tessera_RoutingAttr<"ExpertChoiceRouting", "expert_choice"> {
  let summary = "expert-choice routing (Zhou et al. 2022)";
  let description = [{
    `#tessera.expert_choice<capacity_factor = 2.0>`: every expert picks
    its C tokens ("Mixture-of-Experts with Expert Choice Routing", Zhou et
    al., NeurIPS 2022). With the router `W_g` ([E, d]), the scores are
    `S = softmax(x · W_gᵀ)` over the experts, per token ([T, E], T = B·N
    tokens of the whole input). The capacity is
    `C = min(T, ceil(T · capacity_factor / E))` (evaluated in double; the
    factor is the average number of experts per token, so
    `capacity_factor = E` gives C = T: every expert takes every token).
    Expert e picks the C tokens with the largest `S[t, e]`, ties (and
    NaN, which ranks first) resolved as in `token_choice` with "token"
    for "expert"; token t's output is
    `Σ_{e : t picked by e} S[t, e] · FFN_e(x_t)`. A token no expert
    picks gets only the shared experts (or zero).

    The op's `capacity_factor` attribute is rejected with this mode (the
    factor is part of the attribute). Verifier: the factor is finite and
    > 0.
  }];
  let parameters = (ins Tessera_DoubleParameter:$capacity_factor);
}

def Tessera_TaskConditionedRoutingAttr
    : Tessera_RoutingAttr<"TaskConditionedRouting", "task_conditioned"> {
  let summary = "task-conditioned top-k routing (M³ViT, Edge-MoE)";
  let description = [{
    `#tessera.task_conditioned<tasks = 3, gate = #tessera.token_choice<k = 2>,
    experts = [0, 1, 2, 3,  2, 3, 4, 5,  4, 5, 6, 7]>`: multi-task
    routing as in M³ViT (Liang et al., NeurIPS 2022) and its FPGA
    accelerator Edge-MoE (Sarkar et al., ICCAD 2023). The router operand
    is `W_g` [tasks, E, d], one gate per task, and the run-time `task`
    operand (i32 or i64, shape [] for the whole input or [B], one per
    sample) selects it: a token of a sample with task τ routes exactly as
    `gate` (a `#tessera.token_choice`, with its k, order, renormalisation
    and the op's capacity factor) does with router `W_g[τ]`.

    `gate` must be a `#tessera.token_choice` (checked).
    `experts` (optional) restricts each task to a subset of experts: a
    row-major table of `tasks` rows of m expert indices each (its length
    is tasks · m, every entry in [0, E), no repeats in a row). Task τ's
    token considers only the experts of row τ: the other logits are
    treated as absent (softmax and top-k over the m listed experts only;
    k <= m). Without it, every task considers all E experts (M³ViT).
    The table is an attribute (fixed at compile time, like the model);
    which row applies is chosen at run time.

    A task id outside [0, tasks) routes its tokens to no routed expert
    (they get only the shared experts, or zero): never an out-of-bounds
    read. As an entry argument, such a value is
    rejected by the executable before any compute (see `tessera.moe`). Capacity, when given, counts assignments over the whole input
    in token order, across tasks.
  }];
  let parameters = (ins "int64_t":$tasks,
      "::mlir::Attribute":$gate,
      OptionalParameter<"::mlir::DenseI64ArrayAttr">:$experts);
}

def Tessera_CategoryConditionedRoutingAttr
    : Tessera_RoutingAttr<"CategoryConditionedRouting", "category_conditioned"> {
  let summary = "category-conditioned routing without a learned gate (AniMer+)";
  let description = [{
    `#tessera.category_conditioned<categories = 4, experts = [0, 1, 2,
    3]>`: every token of a sample goes to the experts of that
    sample's category, given by the run-time `category` operand (i32 or
    i64, shape [] for the whole input or [B], one per sample). There is
    no router and no learned gate: `experts` is a row-major table of
    `categories` rows of m expert indices each (length categories · m,
    entries in [0, E), no repeats in a row), and each expert of row c
    contributes with weight 1/m. This is the family-aware expert routing
    of AniMer+ (one expert per animal family, m = 1, next to shared
    experts) and the hard, input-type-determined routing of
    Union-of-Experts style models.

    A category outside [0, categories) routes its tokens to no routed
    expert (only shared experts, or zero). As an entry argument, such a value is
    rejected by the executable before any compute (see `tessera.moe`). The op's `capacity_factor` is
    rejected with this mode (no token is ever dropped).
  }];
  let parameters = (ins "int64_t":$categories,
                        "::mlir::DenseI64ArrayAttr":$experts);
}

//===----------------------------------------------------------------------===//
// Diffusion schedulers
//===----------------------------------------------------------------------===//

def Tessera_BetaSchedule : I32EnumAttr<"BetaSchedule",
    "diffusers' beta_schedule", [
      I32EnumAttrCase<"linear", 0>,
      I32EnumAttrCase<"scaled_linear", 1>,
      I32EnumAttrCase<"squaredcos_cap_v2", 2>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_PredictionType : I32EnumAttr<"PredictionType",
    "what the denoiser predicts (diffusers' prediction_type)", [
      I32EnumAttrCase<"epsilon", 0>,
      I32EnumAttrCase<"v_prediction", 1>,
      I32EnumAttrCase<"sample", 2>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_TimestepSpacing : I32EnumAttr<"TimestepSpacing",
    "how inference timesteps are spread (diffusers' timestep_spacing)", [
      I32EnumAttrCase<"leading", 0>,
      I32EnumAttrCase<"trailing", 1>,
      I32EnumAttrCase<"linspace", 2>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

/// An integer with a default (named in the docs).
class Tessera_IntParameter<string default>
    : DefaultValuedParameter<"int64_t", default,
                             "integer (default: " # default # ")">;

/// A float literal held as an IEEE double, with a default.
class Tessera_DefaultDoubleParameter<string default>
    : DefaultValuedParameter<"::llvm::APFloat", "::llvm::APFloat(" # default # ")",
                             "float (default: " # default # ")"> {
  let parser = "::mlir::tessera::parseDoubleParameter($_parser)";
  let printer = "$_printer.printFloat($_self)";
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
}

/// The noise-schedule keys every discrete-time diffusers scheduler shares,
/// with that scheduler's defaults.
class Tessera_BetaParams<string betaStart, string betaEnd, string schedule,
                         string spacing> {
  dag params = (ins
      Tessera_IntParameter<"1000">:$num_train_timesteps,
      Tessera_DefaultDoubleParameter<betaStart>:$beta_start,
      Tessera_DefaultDoubleParameter<betaEnd>:$beta_end,
      DefaultValuedParameter<"::mlir::tessera::BetaSchedule",
                             "::mlir::tessera::BetaSchedule::" # schedule,
                             "linear, scaled_linear or squaredcos_cap_v2 (default: " # schedule # ")">:$beta_schedule,
      DefaultValuedParameter<"::mlir::tessera::PredictionType",
                             "::mlir::tessera::PredictionType::epsilon",
                             "epsilon, v_prediction or sample (default: epsilon)">:$prediction_type,
      DefaultValuedParameter<"::mlir::tessera::TimestepSpacing",
                             "::mlir::tessera::TimestepSpacing::" # spacing,
                             "leading, trailing or linspace (default: " # spacing # ")">:$timestep_spacing,
      Tessera_IntParameter<"0">:$steps_offset,
      Tessera_BoolParameter<"false", "bool (default: false)">:$rescale_betas_zero_snr);
}

def Tessera_SchedulerKeys {
  string doc = [{
    The keys and defaults are those of the diffusers scheduler of the same
    name, so a `scheduler_config.json` carries over key by key
    (`num_train_timesteps`, `beta_start`, `beta_end`, `beta_schedule` =
    linear | scaled_linear | squaredcos_cap_v2, `prediction_type` =
    epsilon | v_prediction | sample, `timestep_spacing` = leading |
    trailing | linspace, `steps_offset`, `rescale_betas_zero_snr`); keys
    left out take the diffusers default and are not printed.
    The schedulers implement `clip_sample = false` and no thresholding
    (diffusers' DDIM and DDPM default to `clip_sample = true`; the Stable
    Diffusion, PixArt and DiT configs set it false): a config that clips
    is not expressible.
    Tables are computed in float64 at compile time; `tessera-opt
    --tessera-print-schedule` prints them.
  }];
}

class Tessera_SchedulerAttr<string name, string attrMnemonic>
    : AttrDef<Tessera_Dialect, name,
              [DeclareAttrInterfaceMethods<Tessera_SchedulerAttrInterface>]> {
  let mnemonic = attrMnemonic;
  let assemblyFormat = "`<` struct(params) `>`";
}

def Tessera_DDIMSchedulerAttr : Tessera_SchedulerAttr<"DDIMScheduler", "ddim"> {
  let summary = "DDIM (Song et al. 2021), diffusers' DDIMScheduler";
  let description = !strconcat([{
    `#tessera.ddim<eta = 0.0, timestep_spacing = trailing>`: denoising
    diffusion implicit models. Step t → t' = t − num_train_timesteps /
    steps: `x0 = pred(x, model_output)`, `ε = pred_eps`,
    `x' = sqrt(ᾱ_t') · x0 + sqrt(1 − ᾱ_t' − σ²) · ε + σ · z` with
    `σ = eta · sqrt((1 − ᾱ_t') / (1 − ᾱ_t)) · sqrt(1 − ᾱ_t / ᾱ_t')`;
    ᾱ of t' < 0 is 1 (`set_alpha_to_one`, default true) or ᾱ_0. `eta`
    (diffusers' step argument) > 0 adds noise.
  }], Tessera_SchedulerKeys.doc);
  let parameters = !con(
      Tessera_BetaParams<"0.0001", "0.02", "linear", "leading">.params,
      (ins Tessera_BoolParameter<"true", "bool (default: true)">:$set_alpha_to_one,
           Tessera_DefaultDoubleParameter<"0.0">:$eta));
}

def Tessera_DDPMSchedulerAttr : Tessera_SchedulerAttr<"DDPMScheduler", "ddpm"> {
  let summary = "DDPM (Ho et al. 2020), diffusers' DDPMScheduler";
  let description = !strconcat([{
    `#tessera.ddpm<>`: ancestral sampling of denoising diffusion
    probabilistic models with diffusers' `fixed_small` variance:
    `x' = c0 · x0 + ct · x + sqrt(max(var, 1e-20)) · z` (no noise at t = 0).
  }], Tessera_SchedulerKeys.doc);
  let parameters = Tessera_BetaParams<"0.0001", "0.02", "linear", "leading">.params;
}

def Tessera_EulerSchedulerAttr : Tessera_SchedulerAttr<"EulerScheduler", "euler"> {
  let summary = "Euler (Karras et al. 2022), diffusers' EulerDiscreteScheduler";
  let description = !strconcat([{
    `#tessera.euler<use_karras_sigmas = true>`: the Euler method on the
    probability-flow ODE in σ = sqrt((1 − ᾱ) / ᾱ); the model sees
    `x / sqrt(σ² + 1)` at the (fractional) timestep of σ;
    `x' = x + (σ' − σ) · (x − x0) / σ`. `use_karras_sigmas` spaces σ as
    Karras et al. (ρ = 7). No churn (deterministic).
  }], Tessera_SchedulerKeys.doc);
  let parameters = !con(
      Tessera_BetaParams<"0.0001", "0.02", "linear", "linspace">.params,
      (ins Tessera_BoolParameter<"false", "bool (default: false)">:$use_karras_sigmas));
}

def Tessera_DPMSolverSchedulerAttr
    : Tessera_SchedulerAttr<"DPMSolverScheduler", "dpm_solver_2m"> {
  let summary = "DPM-Solver++ 2M (Lu et al. 2022), diffusers' DPMSolverMultistepScheduler";
  let description = !strconcat([{
    `#tessera.dpm_solver_2m<use_karras_sigmas = true>`: the second-order
    multistep DPM-Solver++ (`algorithm_type = dpmsolver++`,
    `solver_order = 2`, `solver_type = midpoint`,
    `final_sigmas_type = zero`, `lower_order_final = true`): first order
    at the first and the final step, second order (the state h holds the
    previous step's data prediction) in between.
  }], Tessera_SchedulerKeys.doc);
  let parameters = !con(
      Tessera_BetaParams<"0.0001", "0.02", "linear", "linspace">.params,
      (ins Tessera_BoolParameter<"false", "bool (default: false)">:$use_karras_sigmas));
}

def Tessera_FlowMatchEulerSchedulerAttr
    : Tessera_SchedulerAttr<"FlowMatchEulerScheduler", "flow_match_euler"> {
  let summary = "flow-matching Euler (SD3, Wan), diffusers' FlowMatchEulerDiscreteScheduler";
  let description = [{
    `#tessera.flow_match_euler<shift = 5.0>`: rectified-flow sampling; the
    model predicts the velocity v at timestep σ · num_train_timesteps and
    `x' = x + (σ' − σ) · v`, with σ shifted as
    `shift · σ / (1 + (shift − 1) · σ)` (Wan uses shift 5, SD3 3). Keys:
    `num_train_timesteps`, `shift`.
  }];
  let parameters = (ins Tessera_IntParameter<"1000">:$num_train_timesteps,
                        Tessera_DefaultDoubleParameter<"1.0">:$shift);
}

def Tessera_LCMSchedulerAttr : Tessera_SchedulerAttr<"LCMScheduler", "lcm"> {
  let summary = "latent consistency models (Luo et al. 2023), diffusers' LCMScheduler";
  let description = !strconcat([{
    `#tessera.lcm<>`: few-step consistency sampling. Timesteps are taken
    from the `original_inference_steps` (default 50) skipping schedule;
    each step applies the boundary-condition scalings
    `c_skip = σ_d² / ((t·s)² + σ_d²)`, `c_out = t·s / sqrt((t·s)² + σ_d²)`
    (σ_d = 0.5, s = `timestep_scaling`, default 10) to the data
    prediction, `denoised = c_out · x0 + c_skip · x`, and re-noises to the
    next timestep, `x' = sqrt(ᾱ') · denoised + sqrt(1 − ᾱ') · z`, except
    after the last step.
  }], Tessera_SchedulerKeys.doc);
  let parameters = !con(
      Tessera_BetaParams<"0.00085", "0.012", "scaled_linear", "leading">.params,
      (ins Tessera_BoolParameter<"true", "bool (default: true; no effect: the last step does not re-noise, as in diffusers)">:$set_alpha_to_one,
           Tessera_IntParameter<"50">:$original_inference_steps,
           Tessera_DefaultDoubleParameter<"10.0">:$timestep_scaling));
}

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

def Tessera_CPUTargetAttr : AttrDef<Tessera_Dialect, "CPUTarget"> {
  let mnemonic = "cpu_target";
  let summary = "the CPU the fused kernels are built for";
  let description = [{
    `#tessera.cpu_target<cpu = "znver2", vector_bits = 256,
    vector_registers = 16, fma = true>`, attached to a module as its
    `tessera.target` attribute, tells the passes that emit vector code
    (`tessera-lower-tiles`, `tessera-lower-moe`) the machine the code is
    compiled for; the tile schedules (`tessera-flash-attention`,
    `tessera-tile-linear`) do not depend on it:

    * `vector_bits`: the width of one vector register (128, 256 or 512);
      kernels use vectors of `vector_bits / 32` f32 lanes.
    * `vector_registers`: the architectural vector registers (8 to 64).
      Register blocks (rows × vectors of accumulators) are chosen so that
      the accumulators, the loaded operand vectors and one broadcast fit
      them, which keeps the inner loops free of spills.
    * `fma`: fused multiply-add instructions exist; without them products
      are a multiply and an add (a vector `fma` would become a libm call).
    * `cpu`: the LLVM CPU name it was derived from (informational).

    `tessera-cpu-target{cpu=... features=...}` (run by the pipelines with
    `tesserac --mcpu/--mattr`) derives the attribute from LLVM's
    description of the CPU; it can also be written by hand to experiment.
    A module without it gets the x86-64-v3 shape: 256 bits, 16 registers,
    FMA.
  }];
  let parameters = (ins
      StringRefParameter<"LLVM CPU name", "\"\"">:$cpu,
      "int64_t":$vector_bits,
      "int64_t":$vector_registers,
      Tessera_BoolParameter<"true">:$fma);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD
