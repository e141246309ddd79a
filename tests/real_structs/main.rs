//! Argument structs shaped like those of real Rust ML programs (candle's
//! examples, a burn trainer, rustformers/llm, mistral.rs, a Megatron-LM
//! port, candle-vllm, border), each written as upstream writes it, with only
//! `#[derive(MegatronArgs)]` (and `Clone` where missing) added, and each
//! exercised through a role-config file.

#[path = "../common/clap_agreement.rs"]
mod clap_agreement;

mod border_dqn;
mod burn_trainer;
mod candle_llama;
mod candle_vllm_server;
mod chat_cli;
mod embedding_server;
mod generated_method_names;
mod inference_server;
mod llama_server;
mod llm_infer;
mod lora_server;
mod megatron_port;
mod mistralrs_server;
mod trainer_launcher;
mod weights_source;

use megatron_args::{Error, MegatronArgs, PpoRole, Resolved, RoleConfig};

/// Loads `yaml` as the role-config file `roles.yaml`.
pub fn load<A: MegatronArgs>(yaml: &str) -> Result<RoleConfig<A>, Error> {
    RoleConfig::<A>::from_str(yaml, "roles.yaml")
}

/// Resolves actor and critic from `baseline` and the file `yaml`.
pub fn resolve<A: MegatronArgs<Role = PpoRole>>(baseline: &A, yaml: &str) -> Resolved<A> {
    load::<A>(yaml)
        .unwrap_or_else(|e| panic!("the file loads:\n{e}"))
        .resolve(baseline, &[PpoRole::Actor, PpoRole::Critic])
        .unwrap_or_else(|e| panic!("the roles resolve:\n{e}"))
}

/// The error of a rejected file (for structs without `Debug`).
pub fn rejection<A: MegatronArgs>(yaml: &str) -> Error {
    match load::<A>(yaml) {
        Ok(_) => panic!("the file should be rejected"),
        Err(err) => err,
    }
}

/// The one problem of a rejected file (its message and help), with its
/// `line:column`.
pub fn single_problem<A: MegatronArgs>(yaml: &str) -> (String, String) {
    let err = rejection::<A>(yaml);
    assert_eq!(err.problems().len(), 1, "one problem expected:\n{err}");
    let problem = &err.problems()[0];
    let at = problem.location.as_ref().map(|l| format!("{}:{}", l.line(), l.column())).unwrap_or_default();
    (format!("{}\nhelp: {}", problem.message, problem.help.as_deref().unwrap_or("")), at)
}

/// `to_argv(args)` parsed back by clap gives every argument's value (checked
/// here through `get`, independently of `to_argv`'s own check); the argv.
pub fn argv_round_trip<A: MegatronArgs + clap::Parser>(args: &A) -> Vec<String> {
    let argv = megatron_args::to_argv(args).unwrap_or_else(|e| panic!("to_argv refuses:\n{e}"));
    let parsed = A::try_parse_from(std::iter::once("prog".to_string()).chain(argv.iter().cloned()))
        .unwrap_or_else(|e| panic!("{argv:?} does not parse:\n{e}"));
    for field in A::fields() {
        assert_eq!(parsed.get(field.name), args.get(field.name), "`{}` after {argv:?}", field.name);
    }
    argv
}
