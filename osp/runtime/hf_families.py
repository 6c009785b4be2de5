"""Tiny configs for the Hugging Face families the adapter runs (random weights, CPU).

Each family is one `HFFamily`: the transformers config and model class names, the
keyword its forward takes the cache under, the tiny config (hidden ~64, 2 layers,
vocab 512), and what the cache looks like. Nothing here imports transformers: the
classes are looked up by name in `osp.runtime.hf` so that `osp profile --list`
works without the `osp[hf]` extra.

Choices that matter for measurement (see docs/hf.md):
- attention is `eager` everywhere: its matmuls are plain `bmm`/`matmul` ops that
  `torch.utils.flop_counter` counts, and step and parallel forward use the same
  kernel. CPU SDPA has no FLOP formula in torch.
- MoE experts are `eager` (a loop of linears) for the same reason: the default
  `grouped_mm` path has no FLOP formula.
- no GPU kernel package (mamba-ssm, causal-conv1d, flash-linear-attention) is
  required; transformers falls back to its pure-torch reference paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from osp.errors import OspInputError

VOCAB = 512
HIDDEN = 64
LAYERS = 2
SEED = 0

# Shared by the plain decoders: 4 query heads of 16, 2 KV heads (grouped-query).
_DECODER = dict(
    vocab_size=VOCAB,
    hidden_size=HIDDEN,
    num_hidden_layers=LAYERS,
    num_attention_heads=4,
    num_key_value_heads=2,
    intermediate_size=128,
    max_position_embeddings=4096,
)
# Families whose default special-token ids exceed a tiny vocabulary.
_NO_SPECIAL_TOKENS = dict(pad_token_id=None, bos_token_id=None, eos_token_id=None)
# A Mamba-2 mixer of 8 heads of 16 with an 8-wide state.
_MAMBA2_MIXER = dict(mamba_n_heads=8, mamba_d_head=16, mamba_d_state=8, mamba_n_groups=1, mamba_chunk_size=16)
# Mamba-1 and FalconMamba share one architecture shape
_MAMBA1 = dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, state_size=8, expand=2, conv_kernel=4)


@dataclass(frozen=True)
class HFFamily:
    """One transformers family run as an OSP."""

    name: str  # command-line name, `hf:<name>`
    config_class: str  # attribute of the transformers package
    model_class: str
    cache_keyword: str  # forward's cache argument: past_key_values | cache_params | state
    cache_kind: str  # what the cache holds, for docs and `--list`
    growth: str  # "linear" (grows every step), "flat", or "capped" (stops at a window)
    tiny: dict[str, Any] = field(default_factory=dict)
    #: the family's one-token path mixes batch rows, so rows are decoded one at a time
    per_row: bool = False
    #: the family keeps part of its state on its modules, not in a cache object
    module_state: bool = False


FAMILIES: tuple[HFFamily, ...] = (
    HFFamily("llama", "LlamaConfig", "LlamaForCausalLM", "past_key_values",
             "KV cache (DynamicLayer)", "linear", dict(_DECODER)),
    HFFamily("mistral", "MistralConfig", "MistralForCausalLM", "past_key_values",
             "sliding-window KV cache, window 8 (keeps 7)", "capped", dict(_DECODER, sliding_window=8)),
    HFFamily("gemma3", "Gemma3TextConfig", "Gemma3ForCausalLM", "past_key_values",
             "sliding-window KV (window 8) + full KV", "linear",
             dict(_DECODER, head_dim=16, sliding_window=8, layer_types=["sliding_attention", "full_attention"])),
    HFFamily("mamba", "MambaConfig", "MambaForCausalLM", "cache_params",
             "conv + SSM state (LinearAttentionLayer)", "flat",
             dict(_MAMBA1)),
    HFFamily("mamba2", "Mamba2Config", "Mamba2ForCausalLM", "cache_params",
             "conv + SSM state (LinearAttentionLayer)", "flat",
             dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, state_size=8, expand=2,
                  conv_kernel=4, num_heads=8, head_dim=16, n_groups=1, chunk_size=16)),
    HFFamily("falcon-mamba", "FalconMambaConfig", "FalconMambaForCausalLM", "cache_params",
             "conv + SSM state (LinearAttentionLayer)", "flat",
             dict(_MAMBA1)),
    HFFamily("rwkv", "RwkvConfig", "RwkvForCausalLM", "state",
             "RWKV-4 state list (5 tensors)", "flat",
             dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, attention_hidden_size=HIDDEN,
                  intermediate_size=128, context_length=4096),
             per_row=True),
    # qk_dim_factor 1.0: the mLSTM kernels need hidden * qk_dim_factor a multiple of 64.
    HFFamily("xlstm", "xLSTMConfig", "xLSTMForCausalLM", "cache_params",
             "mLSTM matrix memory C, normaliser n, stabiliser m (xLSTMCache)", "flat",
             dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_heads=2, qk_dim_factor=1.0,
                  chunk_size=16)),
    HFFamily("qwen3-next", "Qwen3NextConfig", "Qwen3NextForCausalLM", "past_key_values",
             "gated delta-net conv + recurrent state, + full KV", "linear",
             dict(_DECODER, head_dim=16, linear_num_value_heads=4, linear_num_key_heads=2, linear_key_head_dim=16,
                  linear_value_head_dim=16, num_experts=4, num_experts_per_tok=2, moe_intermediate_size=32,
                  shared_expert_intermediate_size=32, layer_types=["linear_attention", "full_attention"])),
    HFFamily("olmo-hybrid", "OlmoHybridConfig", "OlmoHybridForCausalLM", "past_key_values",
             "gated delta-net conv + recurrent state, + full KV", "linear",
             dict(_DECODER, **_NO_SPECIAL_TOKENS, linear_num_key_heads=4, linear_num_value_heads=4,
                  linear_key_head_dim=16, linear_value_head_dim=16,
                  layer_types=["linear_attention", "full_attention"])),
    # Kimi Delta Attention (a gated delta rule with per-channel gates) + MLA attention.
    HFFamily("kimi-linear", "KimiLinearConfig", "KimiLinearForCausalLM", "past_key_values",
             "KDA conv + recurrent state, + MLA latent KV", "linear",
             dict(_DECODER, **_NO_SPECIAL_TOKENS, num_key_value_heads=4, moe_intermediate_size=32, num_experts=4,
                  num_experts_per_token=2, num_shared_experts=1, kv_lora_rank=16, q_lora_rank=None,
                  qk_rope_head_dim=8, qk_nope_head_dim=16, v_head_dim=16, head_dim=16, linear_head_dim=16,
                  linear_num_heads=4, mlp_layer_types=["dense", "sparse"],
                  layer_types=["linear_attention", "full_attention"])),
    HFFamily("jamba", "JambaConfig", "JambaForCausalLM", "past_key_values",
             "Mamba conv + SSM state, + full KV", "linear",
             dict(_DECODER, num_experts=2, num_experts_per_tok=1, attn_layer_period=2, attn_layer_offset=1,
                  expert_layer_period=2, expert_layer_offset=1, mamba_d_state=8, mamba_dt_rank=8)),
    HFFamily("zamba2", "Zamba2Config", "Zamba2ForCausalLM", "past_key_values",
             "Mamba-2 conv + SSM state, + shared-attention KV", "linear",
             dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=4,
                  num_key_value_heads=4, intermediate_size=128, mamba_d_state=8, mamba_headdim=16, n_mamba_heads=8,
                  chunk_size=16, hybrid_layer_ids=[1], layers_block_type=["linear_attention", "hybrid"])),
    HFFamily("bamba", "BambaConfig", "BambaForCausalLM", "past_key_values",
             "Mamba-2 conv + SSM state, + full KV", "linear",
             dict(_DECODER, **_MAMBA2_MIXER, attn_layer_indices=[1])),
    HFFamily("falcon-h1", "FalconH1Config", "FalconH1ForCausalLM", "past_key_values",
             "parallel Mamba-2 + attention in every layer", "linear",
             dict(_DECODER, **_MAMBA2_MIXER, mamba_d_ssm=128)),
    HFFamily("granite-moe-hybrid", "GraniteMoeHybridConfig", "GraniteMoeHybridForCausalLM", "past_key_values",
             "Mamba-2 conv + SSM state, + full KV", "linear",
             dict(_DECODER, **_MAMBA2_MIXER, layer_types=["mamba", "attention"], num_local_experts=2,
                  num_experts_per_tok=1, shared_intermediate_size=64)),
    HFFamily("nemotron-h", "NemotronHConfig", "NemotronHForCausalLM", "past_key_values",
             "Mamba-2 conv + SSM state, + full KV (MLP layers hold nothing)", "linear",
             # the layer count comes from layers_block_type (num_hidden_layers is not a field here)
             dict(_DECODER, head_dim=16, layers_block_type=["linear_attention", "mlp", "full_attention", "mlp"],
                  ssm_state_size=8, mamba_num_heads=8, mamba_head_dim=16, n_groups=1,
                  chunk_size=16)),
    HFFamily("lfm2", "Lfm2Config", "Lfm2ForCausalLM", "past_key_values",
             "short-conv state, + full KV", "linear",
             dict(_DECODER, layer_types=["conv", "full_attention"])),
    HFFamily("minimax", "MiniMaxConfig", "MiniMaxForCausalLM", "past_key_values",
             "lightning-attention state (linear_cache), + full KV", "linear",
             dict(_DECODER, head_dim=16, num_local_experts=2, num_experts_per_tok=1,
                  layer_types=["linear_attention", "full_attention"], block_size=16)),
)

# RecurrentGemma (Griffin): RG-LRU + local attention; its recurrent states live on the modules.
FAMILIES += (
    HFFamily("recurrent-gemma", "RecurrentGemmaConfig", "RecurrentGemmaForCausalLM", "past_key_values",
             "RG-LRU + conv states (module-held), + local KV (window 8)", "capped",
             dict(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=4,
                  num_key_value_heads=4, intermediate_size=128, lru_width=HIDDEN, attention_window_size=8,
                  block_types=["recurrent", "attention"]),
             module_state=True),
)

FAMILY_BY_NAME: dict[str, HFFamily] = {f.name: f for f in FAMILIES}
HF_FAMILIES: tuple[str, ...] = tuple(f.name for f in FAMILIES)


def family(name: str) -> HFFamily:
    """The family called `name` (any case); an unknown one lists the known ones."""
    fam = FAMILY_BY_NAME.get(name.lower())
    if fam is None:
        raise OspInputError(f"unknown HF family {name!r}; known: {', '.join(HF_FAMILIES)}")
    return fam


def import_transformers():
    """The transformers package, imported on first use; missing, it is the `osp[hf]` extra to install."""
    try:
        import transformers
    except ImportError as err:  # the extra is missing
        raise OspInputError("hf:<family> models need the transformers extra: pip install 'osp[hf]'") from err
    return transformers
