//! Structure read out of free text.
pub mod mentions;
