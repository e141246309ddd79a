//! Running the built examples as a user would, for the end-to-end tests:
//! build once, run as a real process in a temporary folder, and read what it
//! printed and how it exited.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;
use tempfile::TempDir;

/// The upstream usage command line (SPEC 6.2), as it stands.
pub const PPO_USAGE: &[&str] = &[
    "--advantage-estimator",
    "ppo",
    "--use-critic",
    "--megatron-config-path",
    "megatron_ppo.yaml",
    "--tensor-model-parallel-size",
    "2",
    "--sequence-parallel",
    "--pipeline-model-parallel-size",
    "1",
    "--context-parallel-size",
    "1",
    "--expert-model-parallel-size",
    "1",
    "--expert-tensor-parallel-size",
    "1",
    "--actor-num-nodes",
    "1",
    "--actor-num-gpus-per-node",
    "8",
    "--critic-num-nodes",
    "1",
    "--critic-num-gpus-per-node",
    "8",
];

/// The sample config shipped with the PPO example.
pub const PPO_SAMPLE_CONFIG: &str = include_str!("../../examples/megatron_ppo.yaml");

/// The usage command line plus `extra` flags.
pub fn usage_with(extra: &[&'static str]) -> Vec<&'static str> {
    PPO_USAGE.iter().chain(extra).copied().collect()
}

/// Builds the example `name` and returns the path of its executable (cargo
/// does not hand integration tests the path of an example). Callers keep the
/// path in a `OnceLock`, so each test binary builds once.
pub fn build_example(name: &str) -> PathBuf {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["build", "--example", name, "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .stderr(Stdio::inherit());
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let output = cargo.output().expect("cannot run cargo");
    assert!(output.status.success(), "cargo build --example {name} failed");
    String::from_utf8(output.stdout)
        .expect("cargo's messages are UTF-8")
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reported no executable for the example {name}"))
}

/// What one run of an example printed, and its exit status.
#[derive(Debug)]
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `binary` with `args` in `dir`, without the developer's
    /// `WANDB_API_KEY` (the PPO example reads `wandb_key` from it).
    pub fn of<S: AsRef<OsStr>>(binary: &Path, dir: &Path, args: &[S]) -> Run {
        Run::with_env(binary, dir, args, &[])
    }

    /// [`Run::of`] with the environment variables `env` set.
    pub fn with_env<S: AsRef<OsStr>>(binary: &Path, dir: &Path, args: &[S], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(binary);
        command.args(args).current_dir(dir).env_remove("WANDB_API_KEY");
        command.envs(env.iter().copied());
        let output = command.output().expect("cannot run the example");
        Run {
            status: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, Some(0), "the run failed: {}", self.stderr);
        self
    }

    pub fn assert_rejected(&self) {
        assert_eq!(self.status, Some(2), "expected exit status 2; stderr:\n{}", self.stderr);
        assert!(self.stdout.is_empty(), "a rejected run printed on stdout:\n{}", self.stdout);
        assert!(!self.stderr.is_empty(), "a rejected run printed nothing on stderr");
    }

    /// The stdout of a successful run, parsed as JSON.
    pub fn json(&self) -> Json {
        self.assert_ok();
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The stdout lines with runs of spaces collapsed, so that alignment does
    /// not matter to the assertions.
    pub fn text_lines(&self) -> Vec<String> {
        self.stdout.lines().map(|line| line.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
    }

    /// The text lines of one role's section: its header up to the next blank line.
    pub fn role_section(&self, role: &str) -> Vec<String> {
        let lines = self.text_lines();
        let start = lines
            .iter()
            .position(|l| l.starts_with(&format!("{role}:")))
            .unwrap_or_else(|| panic!("no section for `{role}` in:\n{}", self.stdout));
        lines[start..].iter().take_while(|l| !l.is_empty()).cloned().collect()
    }
}

/// A temporary working folder holding `megatron_ppo.yaml` with `config`.
pub fn folder_with_config(config: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("cannot create a temporary folder");
    std::fs::write(dir.path().join("megatron_ppo.yaml"), config).expect("cannot write the config");
    dir
}
