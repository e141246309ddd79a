//! An inference server's command line, written as Rust LLM servers write
//! theirs: `value_enum` left on `bool` flags (to clap_derive 4 it changes
//! only how a `default_value_t` is shown, so these have none, or a
//! `default_value`; a `bool` is no `ValueEnum`), and
//! repeatable `NAME=VALUE` engine settings whose `name` comes after `long,
//! short` (clap takes the flags from the field name as it stands when
//! `long`/`short` are read: `--setting`/`-s`; the `name` is only the id).

use clap::{ArgAction, Parser};
use megatron_args::{CliAction, MegatronArgs, PpoRole};

use super::resolve;

#[derive(Parser, Debug, Clone, megatron_args::MegatronArgs)]
#[command(author, version, about, long_about = None)]
struct ServerArgs {
    /// The model to serve (a path or a hub id).
    #[arg(long, short)]
    model: String,

    /// Use flash attention.
    #[arg(long, value_enum)]
    flash_attn: bool,

    /// Lock the model in memory (`--mlock false` turns it off).
    #[arg(long, value_enum, default_value = "true", action = ArgAction::Set)]
    mlock: bool,

    /// An engine setting, `NAME=VALUE`; repeat for several.
    #[arg(long, short, name = "NAME=VALUE")]
    setting: Vec<String>,

    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
}

#[test]
fn value_enum_on_a_bool_is_a_plain_flag_and_name_after_the_flags_is_only_the_id() {
    let flash = ServerArgs::field("flash_attn").unwrap();
    assert_eq!((flash.flag, flash.cli.action), ("--flash-attn", CliAction::SetTrue));
    assert_eq!(ServerArgs::field("mlock").unwrap().cli.action, CliAction::Set);
    let setting = ServerArgs::field("setting").unwrap();
    assert_eq!((setting.flag, setting.cli.short, setting.cli.id), ("--setting", Some('s'), "NAME=VALUE"));
    let parsed =
        ServerArgs::parse_from(["serve", "-m", "llama", "--flash-attn", "-s", "a=1", "--setting", "b=2"]);
    assert!(parsed.flash_attn && parsed.mlock);
    assert_eq!(parsed.setting, ["a=1", "b=2"]);
}

#[test]
fn a_role_file_sets_the_bools_and_the_settings_and_to_argv_writes_them_back() {
    let baseline = ServerArgs::parse_from(["serve", "--model", "llama-8b", "-s", "threads=8"]);
    let resolved = resolve(
        &baseline,
        "megatron:\n  - role: critic\n    overrides:\n      flash_attn: yes\n      mlock: false\n      \
         setting: [threads=4, 'kv_cache=fp8']\n",
    );
    let critic = resolved.get(PpoRole::Critic).unwrap();
    assert!(critic.flash_attn);
    assert!(!critic.mlock);
    assert_eq!(critic.setting, ["threads=4", "kv_cache=fp8"]);
    let argv = super::argv_round_trip(critic);
    assert_eq!(
        argv,
        [
            "--model",
            "llama-8b",
            "--flash-attn",
            "--mlock",
            "false",
            "--setting",
            "threads=4",
            "--setting",
            "kv_cache=fp8",
            "--port",
            "8080"
        ]
    );
    let actor = resolved.get(PpoRole::Actor).unwrap();
    assert_eq!(
        (actor.flash_attn, actor.mlock, actor.setting.clone()),
        (false, true, vec!["threads=8".to_string()])
    );
    super::argv_round_trip(actor);
}

#[test]
fn fields_agree_with_clap() {
    crate::clap_agreement::parser::<ServerArgs>();
}
