//! Gradients.
