//! qmlc: a compiler and simulator for variational quantum circuit models written in the `.qml` language.

pub mod diagnostic;
pub mod grad;
pub mod ir;
pub mod sim;
pub mod source;
