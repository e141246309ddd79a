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

// SAFETY: `__member_ptr` points each member index at its own field.
unsafe impl MegatronArgs for Train {
    type Role = PpoRole;
    type Overrides = TrainOverrides;

    fn __describe() -> SchemaBuilder<Self> {
        use FieldClass::*;
        let mut b = SchemaBuilder::<Train>::new(metadata(&[
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
        ]));
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

    unsafe fn __member_ptr(this: *mut Self, index: usize) -> Option<*mut dyn Any> {
        // SAFETY: the caller passes a valid pointer; each arm only takes a
        // field's address.
        unsafe {
            Some(match index {
                0 => &raw mut (*this).lr,
                1 => &raw mut (*this).save,
                2 => &raw mut (*this).micro_batch_size,
                3 => &raw mut (*this).layers,
                4 => &raw mut (*this).use_kl_loss,
                5 => &raw mut (*this).kl_coef,
                6 => &raw mut (*this).lr_warmup_iters,
                7 => &raw mut (*this).tensor_model_parallel_size,
                8 => &raw mut (*this).critic_num_nodes,
                9 => &raw mut (*this).megatron_config_path,
                _ => return None,
            })
        }
    }
}
