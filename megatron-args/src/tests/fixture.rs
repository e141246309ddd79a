//! A hand-written `MegatronArgs` impl, exactly what the derive generates,
//! so that the runtime's own tests do not depend on the proc-macro.

use std::path::PathBuf;

use crate::__private::{FieldMeta, OnceLock, Schema, SchemaBuilder};
use crate::codec::Plain;
use crate::model::conversion::codec;
use crate::{CliAction, CliArg, FieldClass, MegatronArgs, Overrides, PpoRole};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Train {
    pub lr: f64,
    pub save: Option<PathBuf>,
    pub micro_batch_size: u32,
    pub layers: Vec<u32>,
    pub use_kl_loss: bool,
    pub kl_coef: f64,
    pub lr_warmup_iters: u32,
    pub tensor_model_parallel_size: u32,
    pub critic_num_nodes: u32,
    pub megatron_config_path: Option<PathBuf>,
}

impl Default for Train {
    fn default() -> Self {
        Train {
            lr: 1e-6,
            save: None,
            micro_batch_size: 1,
            layers: vec![],
            use_kl_loss: false,
            kl_coef: 0.01,
            lr_warmup_iters: 0,
            tensor_model_parallel_size: 2,
            critic_num_nodes: 1,
            megatron_config_path: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TrainOverrides {
    pub lr: Option<f64>,
    pub save: Option<Option<PathBuf>>,
    pub micro_batch_size: Option<u32>,
    pub layers: Option<Vec<u32>>,
    pub use_kl_loss: Option<bool>,
    pub kl_coef: Option<f64>,
    pub lr_warmup_iters: Option<u32>,
}

impl Overrides for TrainOverrides {
    type Args = Train;
}

fn meta(name: &'static str, class: FieldClass) -> FieldMeta {
    let cli = CliArg {
        long: None,
        short: None,
        positional: None,
        aliases: &[],
        short_aliases: &[],
        action: CliAction::Set,
        value_delimiter: None,
    };
    FieldMeta { name, ident: name, flag: "", aliases: &[], class, rust_type: "", doc: "", cli }
}

fn positive(lr: &f64) -> Result<(), String> {
    if *lr > 0.0 {
        Ok(())
    } else {
        Err("must be positive".to_string())
    }
}

impl MegatronArgs for Train {
    type Role = PpoRole;
    type Overrides = TrainOverrides;

    fn __schema() -> &'static Schema<Self> {
        static SCHEMA: OnceLock<Schema<Train>> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            use FieldClass::*;
            let mut b = SchemaBuilder::<Train>::new();
            b.field::<Plain<f64>>(
                FieldMeta { flag: "--lr", ..meta("lr", Regular) },
                |a| &a.lr,
                |a| &mut a.lr,
                codec(),
            )
            .overridable(|o| &o.lr, |o| &mut o.lr)
            .validate(|a| positive(&a.lr));
            b.field::<Plain<Option<PathBuf>>>(meta("save", Regular), |a| &a.save, |a| &mut a.save, codec())
                .overridable(|o| &o.save, |o| &mut o.save);
            b.field::<Plain<u32>>(
                FieldMeta { aliases: &["mbs"], ..meta("micro_batch_size", Regular) },
                |a| &a.micro_batch_size,
                |a| &mut a.micro_batch_size,
                codec(),
            )
            .overridable(|o| &o.micro_batch_size, |o| &mut o.micro_batch_size);
            b.field::<Plain<Vec<u32>>>(meta("layers", Regular), |a| &a.layers, |a| &mut a.layers, codec())
                .overridable(|o| &o.layers, |o| &mut o.layers);
            b.field::<Plain<bool>>(
                meta("use_kl_loss", Regular),
                |a| &a.use_kl_loss,
                |a| &mut a.use_kl_loss,
                codec(),
            )
            .overridable(|o| &o.use_kl_loss, |o| &mut o.use_kl_loss);
            b.field::<Plain<f64>>(meta("kl_coef", Regular), |a| &a.kl_coef, |a| &mut a.kl_coef, codec())
                .overridable(|o| &o.kl_coef, |o| &mut o.kl_coef)
                .role_forced(PpoRole::Critic, |a| a.kl_coef = 0.0);
            b.field::<Plain<u32>>(
                meta("lr_warmup_iters", Regular),
                |a| &a.lr_warmup_iters,
                |a| &mut a.lr_warmup_iters,
                codec(),
            )
            .overridable(|o| &o.lr_warmup_iters, |o| &mut o.lr_warmup_iters)
            .role_default(PpoRole::Critic, |a| a.lr_warmup_iters = 10);
            b.field::<Plain<u32>>(
                FieldMeta {
                    flag: "--tensor-model-parallel-size",
                    ..meta("tensor_model_parallel_size", Topology)
                },
                |a| &a.tensor_model_parallel_size,
                |a| &mut a.tensor_model_parallel_size,
                codec(),
            );
            b.field::<Plain<u32>>(
                meta("critic_num_nodes", Placement),
                |a| &a.critic_num_nodes,
                |a| &mut a.critic_num_nodes,
                codec(),
            );
            b.field::<Plain<Option<PathBuf>>>(
                meta("megatron_config_path", Shared),
                |a| &a.megatron_config_path,
                |a| &mut a.megatron_config_path,
                codec(),
            );
            b.build()
        })
    }
}
