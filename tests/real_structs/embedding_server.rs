//! An embedding server's options like text-embeddings-inference's router:
//! a switch on by default that takes an optional value, so that
//! `--auto-truncate=false` turns it off (`SetTrue`, `num_args = 0..=1`,
//! `default_value = "true"`, `default_missing_value = "true"`), as clap
//! documents for `--flag[=BOOL]`. A role may set it false; `to_argv`
//! writes the value attached (SPEC 5.2).

use clap::{ArgAction, Parser};
use megatron_args::{to_argv, MegatronArgs, PpoRole};

use super::{argv_round_trip, resolve};

#[derive(Parser, Debug, Clone, MegatronArgs)]
#[command(author, version, about, long_about = None)]
struct Router {
    /// The name of the model to load.
    #[arg(long, default_value = "BAAI/bge-large-en-v1.5")]
    model_id: String,

    /// Truncate inputs that are longer than the maximum supported size;
    /// `--auto-truncate=false` refuses them instead.
    #[arg(
        long,
        action = ArgAction::SetTrue,
        num_args = 0..=1,
        default_value = "true",
        default_missing_value = "true"
    )]
    auto_truncate: bool,

    /// Pool the hidden states of the tokens with this flag on.
    #[arg(long, num_args = 0..=1, default_value = "false", default_missing_value = "true", action = ArgAction::SetTrue)]
    dense: bool,

    /// The maximum amount of concurrent requests.
    #[arg(long, default_value_t = 512)]
    max_concurrent_requests: usize,
}

#[test]
fn clap_reads_the_optional_value_both_ways() {
    assert!(Router::parse_from(["router"]).auto_truncate);
    assert!(Router::parse_from(["router", "--auto-truncate"]).auto_truncate);
    assert!(!Router::parse_from(["router", "--auto-truncate=false"]).auto_truncate);
}

#[test]
fn a_role_may_set_an_optional_value_flag_false_and_it_is_written_attached() {
    let baseline = Router::parse_from(["router", "--dense"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      auto_truncate: false\n      dense: false\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert_eq!((critic.auto_truncate, critic.dense), (false, false));
    let argv = argv_round_trip(critic);
    assert!(argv.contains(&"--auto-truncate=false".to_string()), "{argv:?}");
    assert!(!argv.iter().any(|a| a.starts_with("--dense")), "the default needs no flag: {argv:?}");
    let actor = argv_round_trip(resolved.get(PpoRole::Actor).unwrap());
    assert!(actor.contains(&"--dense=true".to_string()), "{actor:?}");
    assert!(!actor.iter().any(|a| a.starts_with("--auto-truncate")), "{actor:?}");
}

#[test]
fn the_written_value_is_attached_so_a_following_word_is_not_taken() {
    let mut router = Router::parse_from(["router"]);
    router.set("auto_truncate", false).unwrap();
    let argv = to_argv(&router).unwrap();
    assert_eq!(
        argv,
        ["--model-id", "BAAI/bge-large-en-v1.5", "--auto-truncate=false", "--max-concurrent-requests", "512"]
    );
}
