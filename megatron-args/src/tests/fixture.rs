//! A hand-written `MegatronArgs` impl, exactly what the derive generates,
//! so that the runtime's own tests do not depend on the proc-macro.

use std::any::Any;
use std::path::PathBuf;

use crate::__private::{OverrideValues, SchemaBuilder};
use crate::codec::Plain;
use crate::model::conversion::codec;
use crate::{FieldClass, MegatronArgs, Overrides, PpoRole};

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
pub(crate) struct TrainOverrides(OverrideValues);

impl Overrides for TrainOverrides {
    type Args = Train;
    fn __values(&self) -> &OverrideValues {
        &self.0
    }
    fn __values_mut(&mut self) -> &mut OverrideValues {
        &mut self.0
    }
}

/// The metadata text the derive would write for these fields (name, flag,
/// aliases, class), built at run time: see `MetadataReader` for the format.
fn metadata(fields: &[(&str, &str, &[&str], FieldClass)]) -> &'static str {
    fn item(out: &mut String, text: &str) {
        out.push_str(&format!("{}:{text}", text.len()));
    }
    let mut out = String::new();
    for (name, flag, aliases, class) in fields {
        item(&mut out, name);
        item(&mut out, name);
        item(&mut out, flag);
        item(&mut out, &aliases.len().to_string());
        aliases.iter().for_each(|alias| item(&mut out, alias));
        item(&mut out, &format!("{class:?}"));
        // Rust type, doc, long (none), short (none), positional, long
        // aliases (none), short aliases, action, delimiter (none).
        for field in ["", "", "0", "0", "0", "0", "", "Set", "0"] {
            item(&mut out, field);
        }
        // clap's id: the field name.
        item(&mut out, name);
    }
    out.leak()
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

    fn __describe() -> SchemaBuilder<Self> {
        use FieldClass::*;
        let mut b = SchemaBuilder::<Train>::new(
            metadata(&[
                ("lr", "--lr", &[], Regular),
                ("save", "", &[], Regular),
                ("micro_batch_size", "", &["mbs"], Regular),
                ("layers", "", &[], Regular),
                ("use_kl_loss", "", &[], Regular),
                ("kl_coef", "", &[], Regular),
                ("lr_warmup_iters", "", &[], Regular),
                ("tensor_model_parallel_size", "--tensor-model-parallel-size", &[], Topology),
                ("critic_num_nodes", "", &[], Placement),
                ("megatron_config_path", "", &[], Shared),
            ]),
            crate::wiring::hooks::<Train>(),
        );
        b.field(codec::<Plain<f64>>()).validate(|a| positive(&a.lr));
        b.field(codec::<Plain<Option<PathBuf>>>());
        b.field(codec::<Plain<u32>>());
        b.field(codec::<Plain<Vec<u32>>>());
        b.field(codec::<Plain<bool>>());
        b.field(codec::<Plain<f64>>()).role_forced(PpoRole::Critic, |a| a.kl_coef = 0.0);
        b.field(codec::<Plain<u32>>()).role_default(PpoRole::Critic, |a| a.lr_warmup_iters = 10);
        b.field(codec::<Plain<u32>>());
        b.field(codec::<Plain<u32>>());
        b.field(codec::<Plain<Option<PathBuf>>>());
        b
    }

    fn __member(&self, index: usize) -> Option<&dyn Any> {
        crate::__private::pick(
            (
                &self.lr,
                &self.save,
                &self.micro_batch_size,
                &self.layers,
                &self.use_kl_loss,
                &self.kl_coef,
                &self.lr_warmup_iters,
                &self.tensor_model_parallel_size,
                &self.critic_num_nodes,
                &self.megatron_config_path,
            ),
            index,
        )
    }

    fn __member_mut(&mut self, index: usize) -> Option<&mut dyn Any> {
        match index {
            0 => Some(&mut self.lr),
            1 => Some(&mut self.save),
            2 => Some(&mut self.micro_batch_size),
            3 => Some(&mut self.layers),
            4 => Some(&mut self.use_kl_loss),
            5 => Some(&mut self.kl_coef),
            6 => Some(&mut self.lr_warmup_iters),
            7 => Some(&mut self.tensor_model_parallel_size),
            8 => Some(&mut self.critic_num_nodes),
            9 => Some(&mut self.megatron_config_path),
            _ => None,
        }
    }
}
