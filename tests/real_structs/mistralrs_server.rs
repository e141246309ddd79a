//! A server CLI like mistral.rs's: clap-only flattened groups (only
//! `#[command(flatten)]`, no `#[megatron(flatten)]`) with renamed flags.

use clap::Parser;
use megatron_args::{MegatronArgs, PpoRole};

use super::{resolve, single_problem};

/// PagedAttention settings.
#[derive(clap::Args, Debug, Clone, megatron_args::MegatronArgs)]
pub struct PagedAttentionArgs {
    /// GPU memory to allocate for KV cache with PagedAttention in MBs.
    #[arg(long = "pa-gpu-mem")]
    paged_attn_gpu_mem: Option<usize>,

    /// Block size (number of tokens per block) for PagedAttention.
    #[arg(long = "pa-blk-size")]
    paged_attn_block_size: Option<usize>,

    /// Disable PagedAttention on CUDA.
    #[arg(long = "no-paged-attn", default_value_t = false)]
    no_paged_attn: bool,
}

/// Sampling defaults.
#[derive(clap::Args, Debug, Clone, megatron_args::MegatronArgs)]
pub struct SamplingArgs {
    /// Maximum running sequences at any time.
    #[arg(long, default_value_t = 16)]
    max_seqs: usize,

    /// Use no KV cache.
    #[arg(long, default_value_t = false)]
    no_kv_cache: bool,

    /// Number of prefix caches to hold on the device.
    #[arg(long, default_value_t = 16)]
    prefix_cache_n: usize,
}

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(version, about, long_about = None)]
struct Args {
    /// IP to serve on. Defaults to "0.0.0.0".
    #[arg(long)]
    serve_ip: Option<String>,

    /// Integer seed to ensure reproducible random number generation.
    #[arg(short, long)]
    seed: Option<u64>,

    /// Port to serve on.
    #[arg(short, long)]
    port: Option<String>,

    /// Log all responses and requests to this file.
    #[clap(long, short)]
    log: Option<String>,

    #[command(flatten)]
    sampling: SamplingArgs,

    #[command(flatten)]
    paged_attn: PagedAttentionArgs,
}

#[test]
fn flattened_groups_contribute_their_fields_with_renamed_flags() {
    let names: Vec<_> = Args::fields().iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "serve_ip",
            "seed",
            "port",
            "log",
            "max_seqs",
            "no_kv_cache",
            "prefix_cache_n",
            "paged_attn_gpu_mem",
            "paged_attn_block_size",
            "no_paged_attn",
        ]
    );
    assert_eq!(Args::field("paged_attn_block_size").unwrap().flag, "--pa-blk-size");
    assert_eq!(Args::field("log").unwrap().cli.short, Some('l'));
    let parsed = Args::parse_from(["server", "--pa-blk-size", "32", "-l", "x.log"]);
    assert_eq!(parsed.paged_attn.paged_attn_block_size, Some(32));
}

#[test]
fn group_fields_are_overridden_by_their_own_names() {
    let baseline = Args::parse_from(["server", "--pa-gpu-mem", "4096", "--max-seqs", "32"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      paged_attn_gpu_mem: 2048\n      no_paged_attn: yes\n      \
         max_seqs: 8\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!(critic.paged_attn.paged_attn_gpu_mem, Some(2048));
    assert!(critic.paged_attn.no_paged_attn);
    assert_eq!(critic.sampling.max_seqs, 8);
    assert_eq!(resolved.get(PpoRole::Actor).unwrap().paged_attn.paged_attn_gpu_mem, Some(4096));
}

#[test]
fn the_flag_spelling_of_a_renamed_key_is_refused_with_the_name_to_use() {
    let (message, at) =
        single_problem::<Args>("megatron:\n  - role: actor\n    overrides:\n      pa-blk-size: 16\n");
    assert!(message.contains("paged_attn_block_size"), "{message}");
    assert_eq!(at, "4:7");
}

#[test]
fn flattened_groups_with_renamed_flags_round_trip_through_to_argv() {
    let baseline = Args::parse_from(["server", "--pa-gpu-mem", "4096", "--max-seqs", "32"]);
    let resolved =
        resolve(&baseline, "megatron:\n  - role: critic\n    overrides:\n      paged_attn_block_size: 16\n");
    let critic = super::argv_round_trip(resolved.get(PpoRole::Critic).unwrap());
    assert!(critic.windows(2).any(|w| w == ["--pa-blk-size", "16"]), "{critic:?}");
    super::argv_round_trip(resolved.get(PpoRole::Actor).unwrap());
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<Args>();
    crate::clap_agreement::group::<PagedAttentionArgs>();
    crate::clap_agreement::group::<SamplingArgs>();
}
